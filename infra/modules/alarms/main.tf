# CloudWatch alarms on every hop of the pipeline, all notifying one KMS-encrypted SNS topic. Each alarm names a
# metric its resource publishes (connect_ingest/published_metrics.py declares them; tests/infra holds every alarm
# here to that declaration, and every Lambda, queue, stream and delivery stream of infra/ to at least one alarm).

data "aws_caller_identity" "current" {}

locals {
  period = var.alarm_period_seconds
  # Alarm when the function runs this close to its timeout (milliseconds, as AWS/Lambda Duration is).
  duration_threshold_ms = var.function_timeout_seconds * 1000 * var.lambda_duration_timeout_percent / 100
  actions               = [aws_sns_topic.alarms.arn]
}

resource "aws_sns_topic" "alarms" {
  name              = "${var.name_prefix}-pipeline-alarms"
  display_name      = "Connect analytics pipeline alarms"
  kms_master_key_id = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "alarms_topic" {
  statement {
    sid       = "CloudWatchAlarmsOfThisAccount"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.alarms.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_sns_topic_policy" "alarms" {
  arn    = aws_sns_topic.alarms.arn
  policy = data.aws_iam_policy_document.alarms_topic.json
}

resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.email_addresses)

  topic_arn = aws_sns_topic.alarms.arn
  protocol  = "email"
  endpoint  = each.value
}

resource "aws_sns_topic_subscription" "https" {
  for_each = toset(var.https_endpoints)

  topic_arn              = aws_sns_topic.alarms.arn
  protocol               = "https"
  endpoint               = each.value
  endpoint_auto_confirms = false
}

# Lambda: unhandled errors, throttles, and runs close to the timeout.
resource "aws_cloudwatch_metric_alarm" "lambda_errors" {
  for_each = var.function_names

  alarm_name          = "${each.value}-errors"
  alarm_description   = "${each.value} ended invocations with an error: its input is retried, then dead-lettered."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.lambda_errors
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_throttles" {
  for_each = var.function_names

  alarm_name          = "${each.value}-throttles"
  alarm_description   = "${each.value} was throttled (concurrency): events wait or are retried."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.lambda_throttles
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "lambda_duration" {
  for_each = var.function_names

  alarm_name          = "${each.value}-duration"
  alarm_description   = "${each.value} ran within ${100 - var.lambda_duration_timeout_percent}% of its ${var.function_timeout_seconds} s timeout."
  namespace           = "AWS/Lambda"
  metric_name         = "Duration"
  dimensions          = { FunctionName = each.value }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = local.duration_threshold_ms
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The agent-event consumer falling behind its stream.
resource "aws_cloudwatch_metric_alarm" "consumer_iterator_age" {
  for_each = var.stream_consumers

  alarm_name          = "${each.value}-iterator-age"
  alarm_description   = "${each.value} is more than ${var.iterator_age_seconds} s behind its Kinesis stream: real-time panels lag."
  namespace           = "AWS/Lambda"
  metric_name         = "IteratorAge"
  dimensions          = { FunctionName = each.value }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.iterator_age_seconds * 1000
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The collector's schedule missing runs: too few invocations, or none at all.
resource "aws_cloudwatch_metric_alarm" "scheduled_runs" {
  for_each = var.scheduled_functions

  alarm_name          = "${each.value}-missed-runs"
  alarm_description   = "${each.value} ran fewer than ${var.collector_min_runs} times in ${local.period} s: queue metrics go stale."
  namespace           = "AWS/Lambda"
  metric_name         = "Invocations"
  dimensions          = { FunctionName = each.value }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.collector_min_runs
  treat_missing_data  = "breaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Every dead-letter queue (the handlers', Lambda's on-failure and EventBridge's share them) holding a message.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  for_each = var.dead_letter_queue_names

  alarm_name          = "${each.value}-messages"
  alarm_description   = "${each.value} holds dead letters: inputs that were not written. Inspect and redrive them."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = each.value }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.dead_letter_messages
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Kinesis: the oldest unread record's age (every consumer: Firehose, the agent-event Lambda) and write throttling.
resource "aws_cloudwatch_metric_alarm" "stream_iterator_age" {
  for_each = var.stream_names

  alarm_name          = "${each.value}-iterator-age"
  alarm_description   = "A consumer of ${each.value} is more than ${var.iterator_age_seconds} s behind."
  namespace           = "AWS/Kinesis"
  metric_name         = "GetRecords.IteratorAgeMilliseconds"
  dimensions          = { StreamName = each.value }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.iterator_age_seconds * 1000
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "stream_write_throttles" {
  for_each = var.stream_names

  alarm_name          = "${each.value}-write-throttles"
  alarm_description   = "Writes to ${each.value} were throttled: Amazon Connect retries, then drops records."
  namespace           = "AWS/Kinesis"
  metric_name         = "WriteProvisionedThroughputExceeded"
  dimensions          = { StreamName = each.value }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.kinesis_write_throttles
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Firehose: delivery freshness, failed S3 deliveries, and records sent to the error prefix.
resource "aws_cloudwatch_metric_alarm" "firehose_freshness" {
  for_each = var.delivery_stream_names

  alarm_name          = "${each.value}-freshness"
  alarm_description   = "${each.value}'s oldest undelivered record is older than ${var.firehose_freshness_seconds} s: history lags."
  namespace           = "AWS/Firehose"
  metric_name         = "DeliveryToS3.DataFreshness"
  dimensions          = { DeliveryStreamName = each.value }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.firehose_freshness_seconds
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "firehose_delivery" {
  for_each = var.delivery_stream_names

  alarm_name          = "${each.value}-delivery-failures"
  alarm_description   = "${each.value} failed S3 puts (DeliveryToS3.Success below ${var.firehose_delivery_success_ratio}): it retries, then writes to the error prefix."
  namespace           = "AWS/Firehose"
  metric_name         = "DeliveryToS3.Success"
  dimensions          = { DeliveryStreamName = each.value }
  statistic           = "Minimum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "LessThanThreshold"
  threshold           = var.firehose_delivery_success_ratio
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "firehose_failed_conversion" {
  for_each = var.delivery_stream_names

  alarm_name          = "${each.value}-failed-conversion"
  alarm_description   = "${each.value} could not convert records to Parquet and wrote them to its error prefix: Athena does not see them."
  namespace           = "AWS/Firehose"
  metric_name         = "FailedConversion.Records"
  dimensions          = { DeliveryStreamName = each.value }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.firehose_error_records
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "firehose_partition_limit" {
  for_each = var.delivery_stream_names

  alarm_name          = "${each.value}-partition-limit"
  alarm_description   = "${each.value} exceeded its active-partition limit and sends records to its error prefix: Athena does not see them."
  namespace           = "AWS/Firehose"
  metric_name         = "PartitionCountExceeded"
  dimensions          = { DeliveryStreamName = each.value }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = 1
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# EventBridge: contact events the rule could not deliver to its function.
resource "aws_cloudwatch_metric_alarm" "rule_failed_invocations" {
  for_each = var.event_rule_names

  alarm_name          = "${each.value}-failed-invocations"
  alarm_description   = "${each.value} failed to invoke its target: the events go to its dead-letter queue."
  namespace           = "AWS/Events"
  metric_name         = "FailedInvocations"
  dimensions          = { RuleName = each.value }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.eventbridge_failed_invocations
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# The real-time store as the Lambdas see it: records it refused, and inputs retried because it (or its limits)
# did not answer. Emitted by every handler through Powertools (telemetry.report).
resource "aws_cloudwatch_metric_alarm" "store_rejected_records" {
  for_each = var.ingest_metric_dimensions

  alarm_name          = "${var.name_prefix}-${each.value.service}-rejected-records"
  alarm_description   = "${each.value.service}: the real-time store refused records (RecordsRejected); their inputs were dead-lettered."
  namespace           = var.metrics_namespace
  metric_name         = "RecordsRejected"
  dimensions          = each.value
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.rejected_records
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "store_retried_inputs" {
  for_each = var.ingest_metric_dimensions

  alarm_name          = "${var.name_prefix}-${each.value.service}-retried-inputs"
  alarm_description   = "${each.value.service}: the real-time store was unavailable or throttled, so inputs were retried (InputsRetried)."
  namespace           = var.metrics_namespace
  metric_name         = "InputsRetried"
  dimensions          = each.value
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.retried_inputs
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Timestream for LiveAnalytics' own count of refused (throttled or invalid) and failed writes.
resource "aws_cloudwatch_metric_alarm" "timestream_user_errors" {
  count = var.timestream_enabled ? 1 : 0

  alarm_name          = "${var.name_prefix}-timestream-write-user-errors"
  alarm_description   = "Timestream refused WriteRecords calls (UserErrors: throttling and rejected records among them)."
  namespace           = "AWS/Timestream"
  metric_name         = "UserErrors"
  dimensions          = { Operation = "WriteRecords" }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.timestream_errors
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "timestream_system_errors" {
  count = var.timestream_enabled ? 1 : 0

  alarm_name          = "${var.name_prefix}-timestream-write-system-errors"
  alarm_description   = "Timestream failed WriteRecords calls (SystemErrors)."
  namespace           = "AWS/Timestream"
  metric_name         = "SystemErrors"
  dimensions          = { Operation = "WriteRecords" }
  statistic           = "Sum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.timestream_errors
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}

# Athena: a dashboard query stopped by the workgroup's scan cutoff (cancelled after scanning close to it).
resource "aws_cloudwatch_metric_alarm" "athena_scan_cutoff" {
  alarm_name          = "${var.athena_workgroup_name}-scan-cutoff"
  alarm_description   = "A query in ${var.athena_workgroup_name} was cancelled after scanning ${var.athena_cutoff_percent}% of the per-query cutoff: a panel shows no data."
  namespace           = "AWS/Athena"
  metric_name         = "ProcessedBytes"
  dimensions          = { QueryState = "CANCELED", QueryType = "DML", WorkGroup = var.athena_workgroup_name }
  statistic           = "Maximum"
  period              = local.period
  evaluation_periods  = 1
  comparison_operator = "GreaterThanOrEqualToThreshold"
  threshold           = var.athena_bytes_scanned_cutoff * var.athena_cutoff_percent / 100
  treat_missing_data  = "notBreaching"
  actions_enabled     = true
  alarm_actions       = local.actions
  ok_actions          = local.actions
  tags                = var.tags
}
