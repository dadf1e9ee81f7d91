# The three ingest Lambdas (code from infra/lambdas), their triggers and their
# dead-letter queues, each function with a role scoped to what it touches.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account      = data.aws_caller_identity.current.account_id
  partition    = data.aws_partition.current.partition
  region       = data.aws_region.current.name
  instance_arn = "arn:${local.partition}:connect:${local.region}:${local.account}:instance/${var.connect_instance_id}"
  in_vpc       = var.sink == "influxdb"

  functions = {
    agent_events = {
      handler     = "connect_ingest.agent_events.handler"
      description = "Agent events from Kinesis -> agent_state and agent_contact"
      tables      = ["agent_state", "agent_contact"]
    }
    contact_events = {
      handler     = "connect_ingest.contact_events.handler"
      description = "EventBridge contact events -> contact_event"
      tables      = ["contact_event"]
    }
    collector = {
      handler     = "connect_ingest.collector.handler"
      description = "Scheduled GetCurrentMetricData and List APIs -> queue_metrics and resource_snapshot"
      # Its own two tables, and the other three for their schema seed only (collector.seed_every_table): it
      # runs from deployment, so the agent and contact tables have their columns before their first event.
      tables = ["queue_metrics", "resource_snapshot", "agent_state", "agent_contact", "contact_event"]
    }
  }

  # The dimensions every handler's Powertools metrics carry (connect_ingest.published_metrics.SOURCES).
  metric_dimensions = {
    agent_events   = { service = "agent-events", source = "kinesis:agent-events" }
    contact_events = { service = "contact-events", source = "eventbridge:contact-events" }
    collector      = { service = "collector", source = "collector" }
  }

  common_environment = {
    SINK                         = var.sink
    TIMESTREAM_DATABASE          = var.timestream_database
    TIMESTREAM_REGION            = var.timestream_region
    INFLUX_URL                   = var.influx_url
    INFLUX_DATABASE              = var.influx_database
    INFLUX_SECRET_ARN            = var.influx_secret_arn
    POWERTOOLS_METRICS_NAMESPACE = var.metrics_namespace
  }
}

data "archive_file" "code" {
  type        = "zip"
  source_dir  = "${path.module}/../../lambdas"
  output_path = "${path.module}/../../.build/connect_ingest.zip"
  excludes    = ["**/__pycache__/**", "**/*.pyc", "**/tests/**"]
}

resource "aws_sqs_queue" "dlq" {
  for_each = local.functions

  name                      = "${var.name_prefix}-${replace(each.key, "_", "-")}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

data "aws_iam_policy_document" "contact_dlq" {
  statement {
    sid       = "EventBridgeDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq["contact_events"].arn]

    principals {
      type        = "Service"
      identifiers = ["events.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_cloudwatch_event_rule.contact_events.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "contact_dlq" {
  queue_url = aws_sqs_queue.dlq["contact_events"].id
  policy    = data.aws_iam_policy_document.contact_dlq.json
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.functions

  name              = "/aws/lambda/${var.name_prefix}-${replace(each.key, "_", "-")}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "assume_lambda" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  for_each = local.functions

  name               = var.role_names[each.key]
  assume_role_policy = data.aws_iam_policy_document.assume_lambda.json
  tags               = var.tags
}

data "aws_iam_policy_document" "common" {
  for_each = local.functions

  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[each.key].arn}:*"]
  }

  statement {
    sid       = "SendDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq[each.key].arn]
  }

  statement {
    sid       = "DecryptEnvironmentAndStream"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }

  statement {
    sid       = "Tracing"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = var.sink == "timestream" ? ["write"] : []
    content {
      sid       = "WriteOwnTables"
      actions   = ["timestream:WriteRecords"]
      resources = [for t in each.value.tables : var.timestream_table_arns[t]]
    }
  }

  dynamic "statement" {
    for_each = var.sink == "timestream" ? ["endpoints"] : []
    content {
      sid       = "DiscoverTimestreamEndpoint"
      actions   = ["timestream:DescribeEndpoints"]
      resources = ["*"]
    }
  }

  dynamic "statement" {
    for_each = var.sink == "influxdb" ? ["secret"] : []
    content {
      sid       = "ReadInfluxCredentials"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [var.influx_secret_arn]
    }
  }
}

data "aws_iam_policy_document" "agent_events" {
  source_policy_documents = [data.aws_iam_policy_document.common["agent_events"].json]

  statement {
    sid = "ReadAgentStream"
    actions = [
      "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
      "kinesis:GetShardIterator", "kinesis:ListShards", "kinesis:SubscribeToShard",
    ]
    resources = [var.agent_stream_arn]
  }
}

data "aws_iam_policy_document" "collector" {
  source_policy_documents = [data.aws_iam_policy_document.common["collector"].json]

  statement {
    sid       = "ReadConnectMetricsAndConfiguration"
    actions   = ["connect:GetCurrentMetricData", "connect:ListQueues", "connect:ListRoutingProfiles", "connect:ListUsers"]
    resources = [local.instance_arn, "${local.instance_arn}/*"]
  }
}

locals {
  policies = {
    agent_events   = data.aws_iam_policy_document.agent_events.json
    contact_events = data.aws_iam_policy_document.common["contact_events"].json
    collector      = data.aws_iam_policy_document.collector.json
  }
}

resource "aws_iam_role_policy" "this" {
  for_each = local.functions

  name   = "ingest"
  role   = aws_iam_role.this[each.key].id
  policy = local.policies[each.key]
}

resource "aws_iam_role_policy_attachment" "vpc" {
  for_each = { for key, function in local.functions : key => function if local.in_vpc }

  role       = aws_iam_role.this[each.key].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
}

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117:The functions join the VPC (dynamic vpc_config) when sink is influxdb; with the Timestream sink they only call public AWS endpoints and a VPC would add NAT cost without isolating anything.
  #checkov:skip=CKV_AWS_272:Code signing needs a Signer profile and a signed artifact in S3; the package is built by archive_file from the reviewed repository.
  for_each = local.functions

  function_name                  = "${var.name_prefix}-${replace(each.key, "_", "-")}"
  description                    = each.value.description
  role                           = aws_iam_role.this[each.key].arn
  handler                        = each.value.handler
  runtime                        = var.runtime
  architectures                  = ["arm64"]
  filename                       = data.archive_file.code.output_path
  source_code_hash               = data.archive_file.code.output_base64sha256
  layers                         = [var.powertools_layer_arn]
  timeout                        = var.timeout_seconds
  memory_size                    = var.memory_mb
  reserved_concurrent_executions = var.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn

  environment {
    variables = {
      for k, v in merge(local.common_environment, {
        DLQ_URL                 = aws_sqs_queue.dlq[each.key].url
        POWERTOOLS_SERVICE_NAME = local.metric_dimensions[each.key].service
        CONNECT_INSTANCE_ID     = each.key == "collector" ? var.connect_instance_id : ""
      }) : k => v if v != ""
    }
  }

  tracing_config {
    mode = "Active"
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq[each.key].arn
  }

  dynamic "vpc_config" {
    for_each = local.in_vpc ? ["vpc"] : []
    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = var.security_group_ids
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this[each.key].name
  }

  tags       = var.tags
  depends_on = [aws_iam_role_policy.this, aws_iam_role_policy_attachment.vpc]
}

resource "aws_lambda_event_source_mapping" "agent_events" {
  event_source_arn                   = var.agent_stream_arn
  function_name                      = aws_lambda_function.this["agent_events"].arn
  starting_position                  = "LATEST"
  batch_size                         = var.batch_size
  maximum_batching_window_in_seconds = var.batching_window_seconds
  bisect_batch_on_function_error     = true
  maximum_retry_attempts             = var.maximum_retry_attempts
  maximum_record_age_in_seconds      = var.maximum_record_age_seconds
  parallelization_factor             = var.parallelization_factor
  function_response_types            = ["ReportBatchItemFailures"]

  destination_config {
    on_failure {
      destination_arn = aws_sqs_queue.dlq["agent_events"].arn
    }
  }
}

resource "aws_cloudwatch_event_rule" "contact_events" {
  name        = "${var.name_prefix}-contact-events"
  description = "Amazon Connect contact events of this instance"

  event_pattern = jsonencode({
    source        = ["aws.connect"]
    "detail-type" = ["Amazon Connect Contact Event"]
    detail        = { instanceArn = [local.instance_arn] }
  })

  tags = var.tags
}

resource "aws_cloudwatch_event_target" "contact_events" {
  rule = aws_cloudwatch_event_rule.contact_events.name
  arn  = aws_lambda_function.this["contact_events"].arn

  retry_policy {
    maximum_event_age_in_seconds = var.event_max_age_seconds
    maximum_retry_attempts       = var.event_retry_attempts
  }

  dead_letter_config {
    arn = aws_sqs_queue.dlq["contact_events"].arn
  }
}

resource "aws_lambda_permission" "contact_events" {
  statement_id  = "AllowEventBridge"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.this["contact_events"].function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.contact_events.arn
}

data "aws_iam_policy_document" "assume_scheduler" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["scheduler.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

data "aws_iam_policy_document" "scheduler" {
  statement {
    sid       = "InvokeCollector"
    actions   = ["lambda:InvokeFunction"]
    resources = [aws_lambda_function.this["collector"].arn]
  }

  statement {
    sid       = "SendDeadLetters"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq["collector"].arn]
  }

  statement {
    sid       = "DecryptScheduleTarget"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role" "scheduler" {
  name               = "${var.name_prefix}-collector-scheduler"
  assume_role_policy = data.aws_iam_policy_document.assume_scheduler.json
  tags               = var.tags
}

resource "aws_iam_role_policy" "scheduler" {
  name   = "invoke-collector"
  role   = aws_iam_role.scheduler.id
  policy = data.aws_iam_policy_document.scheduler.json
}

resource "aws_scheduler_schedule" "collector" {
  name                = "${var.name_prefix}-collector"
  description         = "Runs the Connect metrics collector"
  schedule_expression = var.collector_schedule
  kms_key_arn         = var.kms_key_arn
  state               = "ENABLED"

  flexible_time_window {
    mode = "OFF"
  }

  target {
    arn      = aws_lambda_function.this["collector"].arn
    role_arn = aws_iam_role.scheduler.arn

    retry_policy {
      maximum_event_age_in_seconds = 300
      maximum_retry_attempts       = 2
    }

    dead_letter_config {
      arn = aws_sqs_queue.dlq["collector"].arn
    }
  }
}
