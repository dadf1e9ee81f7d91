# Grafana on EC2 in a private subnet: IMDSv2, encrypted root volume, no SSH key (Session Manager), no public
# address. With a certificate an HTTPS load balancer admits var.allowed_cidrs (plain HTTP only to redirect);
# without one nothing is admitted from outside and Grafana is reached through a Session Manager port forward. Dashboards and datasources are the provisioning/ bundle of
# `dash build`, uploaded here to S3 and pulled by the host at boot and on a timer.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

data "aws_ssm_parameter" "ami" {
  name = var.ami_ssm_parameter
}

locals {
  account     = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  region      = data.aws_region.current.name
  https       = var.certificate_arn != ""
  prefix      = "provisioning"
  bundle      = fileset(var.provisioning_dir, "**")
  glue_prefix = "arn:${local.partition}:glue:${local.region}:${local.account}"
  # Without a certificate the only way in is a Session Manager port forward to the same local port, so Grafana's
  # links (shares, alerts, redirects) name the forwarded port on the operator's own machine.
  root_url = local.https ? "https://${var.domain_name}/" : "http://localhost:${var.grafana_port}/"
  # Without a load balancer nothing but the port forward (which connects to the host's loopback) needs Grafana.
  http_addr = local.https ? "" : "127.0.0.1"
  # The environment variable Grafana's InfluxDB datasource reads its token from (dash.yaml influxdb.token_env).
  influxdb_token_env = "INFLUX_READ_TOKEN"

  user_data = templatefile("${path.module}/user_data.sh.tftpl", {
    region            = local.region
    bucket            = module.bundle.bucket_name
    prefix            = local.prefix
    admin_secret_arn  = aws_secretsmanager_secret.admin.arn
    grafana_version   = var.grafana_version
    plugins           = join(" ", var.plugins)
    port              = var.grafana_port
    root_url          = local.root_url
    http_addr         = local.http_addr
    cookie_secure     = local.https
    provisioning_path = var.grafana_provisioning_path
    sync_minutes      = var.sync_interval_minutes
    influx_secret_arn = var.influxdb_token_secret_arn
    influx_token_env  = local.influxdb_token_env
  })
}

module "bundle" {
  source = "../s3_bucket"

  bucket_name       = var.bundle_bucket_name
  kms_key_arn       = var.kms_key_arn
  access_log_bucket = var.access_log_bucket
  force_destroy     = true
  tags              = var.tags
}

resource "aws_s3_object" "bundle" {
  for_each = local.bundle

  bucket                 = module.bundle.bucket_name
  key                    = "${local.prefix}/${each.value}"
  source                 = "${var.provisioning_dir}/${each.value}"
  source_hash            = filemd5("${var.provisioning_dir}/${each.value}")
  content_type           = endswith(each.value, ".json") ? "application/json" : "application/yaml"
  server_side_encryption = "aws:kms"
  kms_key_id             = var.kms_key_arn
}

# Ephemeral (random >= 3.7.1, Terraform >= 1.10) into a write-only argument (aws >= 5.88, Terraform >= 1.11): the
# password is generated during apply, written to Secrets Manager once, and never stored in the plan or state.
ephemeral "random_password" "admin" {
  length           = 32
  special          = true
  override_special = "-_.~!#"
}

resource "aws_secretsmanager_secret" "admin" {
  #checkov:skip=CKV2_AWS_57:Grafana keeps its admin password in its own database; a rotation Lambda would have to call Grafana's API, so rotate with grafana-cli admin reset-admin-password and a new secret version.
  name        = "${var.name_prefix}/grafana-admin"
  description = "Grafana admin password, read by the host at first boot"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "admin" {
  secret_id        = aws_secretsmanager_secret.admin.id
  secret_string_wo = ephemeral.random_password.admin.result
  # Written once: Grafana reads the password only at its first boot, so a new one would not take effect.
  secret_string_wo_version = 1
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.role_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "ssm" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"
}

data "aws_iam_policy_document" "grafana" {
  # The Pipeline health dashboard (Grafana's CloudWatch datasource, authType default: this role). Reading metrics
  # has no resource-level permissions; the alarms it may show are the pipeline's, named after name_prefix.
  statement {
    sid       = "ReadPipelineMetrics"
    actions   = ["cloudwatch:GetMetricData", "cloudwatch:ListMetrics", "cloudwatch:DescribeAlarmsForMetric"]
    resources = ["*"]
  }

  statement {
    sid       = "ReadPipelineAlarms"
    actions   = ["cloudwatch:DescribeAlarms", "cloudwatch:DescribeAlarmHistory"]
    resources = ["arn:${local.partition}:cloudwatch:${local.region}:${local.account}:alarm:${var.name_prefix}-*"]
  }

  statement {
    sid       = "RunDashboardQueries"
    actions   = ["athena:StartQueryExecution", "athena:GetQueryExecution", "athena:GetQueryResults", "athena:StopQueryExecution", "athena:GetWorkGroup"]
    resources = [var.athena_workgroup_arn]
  }

  statement {
    sid       = "BrowseCatalog"
    actions   = ["athena:GetDataCatalog", "athena:ListDatabases", "athena:GetDatabase", "athena:ListTableMetadata", "athena:GetTableMetadata"]
    resources = ["arn:${local.partition}:athena:${local.region}:${local.account}:datacatalog/AwsDataCatalog"]
  }

  statement {
    sid     = "ReadCtrSchema"
    actions = ["glue:GetDatabase", "glue:GetDatabases", "glue:GetTable", "glue:GetTables", "glue:GetPartition", "glue:GetPartitions"]
    resources = concat(
      ["${local.glue_prefix}:catalog", "${local.glue_prefix}:database/${var.glue_database_name}"],
      [for t in var.glue_table_names : "${local.glue_prefix}:table/${var.glue_database_name}/${t}"],
    )
  }

  statement {
    sid       = "ListCtrAndResultBuckets"
    actions   = ["s3:GetBucketLocation", "s3:ListBucket", "s3:ListBucketMultipartUploads"]
    resources = [var.ctr_bucket_arn, var.athena_results_bucket_arn]
  }

  statement {
    sid       = "ReadCtrObjects"
    actions   = ["s3:GetObject"]
    resources = ["${var.ctr_bucket_arn}/*"]
  }

  statement {
    sid       = "WriteQueryResults"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
    resources = ["${var.athena_results_bucket_arn}/*"]
  }

  statement {
    sid       = "ReadProvisioningBundle"
    actions   = ["s3:GetObject", "s3:ListBucket"]
    resources = [module.bundle.bucket_arn, "${module.bundle.bucket_arn}/${local.prefix}/*"]
  }

  statement {
    # Athena reads the SSE-KMS contact records and result files through S3 as this role; the admin secret, the
    # InfluxDB read-token secret and the bundle are encrypted with the same key.
    sid       = "DecryptThroughS3AndSecretsManager"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com", "secretsmanager.${local.region}.amazonaws.com"]
    }
  }

  statement {
    # Athena writes query results SSE-KMS (the workgroup's encryption_configuration) as this role.
    sid       = "EncryptQueryResults"
    actions   = ["kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "ReadAdminPassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.admin.arn]
  }

  dynamic "statement" {
    # The InfluxDB datasource's read-only token: this one secret, only with realtime_store = influxdb.
    for_each = var.influxdb_token_secret_arn == "" ? [] : ["influxdb"]
    content {
      sid       = "ReadInfluxdbToken"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [var.influxdb_token_secret_arn]
    }
  }

  dynamic "statement" {
    for_each = var.timestream_database_arn == "" ? [] : ["database"]
    content {
      sid       = "DescribeRealtimeDatabase"
      actions   = ["timestream:DescribeDatabase", "timestream:ListTables"]
      resources = [var.timestream_database_arn]
    }
  }

  dynamic "statement" {
    for_each = length(var.timestream_table_arns) == 0 ? [] : ["tables"]
    content {
      sid       = "QueryRealtimeTables"
      actions   = ["timestream:Select", "timestream:DescribeTable", "timestream:ListMeasures"]
      resources = var.timestream_table_arns
    }
  }

  dynamic "statement" {
    for_each = var.timestream_database_arn == "" ? [] : ["endpoints"]
    content {
      # No resource-level permissions: endpoint discovery, the plugin's "Save & test" (SELECT 1 reads no table)
      # and cancelling a dashboard's running query.
      sid       = "TimestreamWithoutResources"
      actions   = ["timestream:DescribeEndpoints", "timestream:SelectValues", "timestream:CancelQuery"]
      resources = ["*"]
    }
  }
}

resource "aws_iam_role_policy" "grafana" {
  name   = "grafana-datasources"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.grafana.json
}

resource "aws_iam_instance_profile" "this" {
  name = var.role_name
  role = aws_iam_role.this.name
}

resource "aws_security_group" "instance" {
  # Its only ingress rule is grafana_from_lb. The description predates that (changing it replaces the group).
  name        = "${var.name_prefix}-grafana"
  description = "Grafana host: its port only from the allowed CIDRs or the load balancer"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "grafana_from_lb" {
  count = local.https ? 1 : 0

  security_group_id            = aws_security_group.instance.id
  description                  = "Grafana from the load balancer"
  ip_protocol                  = "tcp"
  from_port                    = var.grafana_port
  to_port                      = var.grafana_port
  referenced_security_group_id = aws_security_group.lb[0].id
}

resource "aws_vpc_security_group_egress_rule" "instance_https" {
  security_group_id = aws_security_group.instance.id
  description       = "HTTPS to AWS APIs, the Grafana package repository and plugin catalogue"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_instance" "this" {
  ami                         = data.aws_ssm_parameter.ami.value
  instance_type               = var.instance_type
  subnet_id                   = var.private_subnet_ids[0]
  vpc_security_group_ids      = [aws_security_group.instance.id]
  iam_instance_profile        = aws_iam_instance_profile.this.name
  associate_public_ip_address = false
  monitoring                  = true
  ebs_optimized               = true
  user_data                   = local.user_data
  user_data_replace_on_change = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
    instance_metadata_tags      = "disabled"
  }

  root_block_device {
    encrypted   = true
    kms_key_id  = var.kms_key_arn
    volume_type = "gp3"
    volume_size = var.root_volume_gib
  }

  tags       = merge(var.tags, { Name = "${var.name_prefix}-grafana" })
  depends_on = [aws_s3_object.bundle, aws_secretsmanager_secret_version.admin, aws_iam_role_policy.grafana]
}

resource "aws_security_group" "lb" {
  #checkov:skip=CKV2_AWS_5:Attached to aws_lb.this; both exist only with a certificate (count), which checkov's graph does not follow.
  count = local.https ? 1 : 0

  name        = "${var.name_prefix}-grafana-lb"
  description = "Grafana load balancer: HTTPS (and redirecting HTTP) from the allowed CIDRs"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "lb" {
  for_each = { for pair in setproduct(var.allowed_cidrs, [80, 443]) : "${pair[0]}:${pair[1]}" => pair if local.https }

  security_group_id = aws_security_group.lb[0].id
  description       = "Port ${each.value[1]} from an allowed network"
  ip_protocol       = "tcp"
  from_port         = each.value[1]
  to_port           = each.value[1]
  cidr_ipv4         = each.value[0]
}

resource "aws_vpc_security_group_egress_rule" "lb" {
  count = local.https ? 1 : 0

  security_group_id            = aws_security_group.lb[0].id
  description                  = "To the Grafana host"
  ip_protocol                  = "tcp"
  from_port                    = var.grafana_port
  to_port                      = var.grafana_port
  referenced_security_group_id = aws_security_group.instance.id
}

resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_91:ALB access logs need an SSE-S3 bucket, and every bucket here is SSE-KMS; ingress is restricted to var.allowed_cidrs, and the load balancer's CloudWatch metrics count requests and errors.
  #checkov:skip=CKV2_AWS_28:A WAF web ACL is left to the operator; the load balancer only accepts var.allowed_cidrs.
  count = local.https ? 1 : 0

  name                       = "${var.name_prefix}-grafana"
  load_balancer_type         = "application"
  internal                   = false
  security_groups            = [aws_security_group.lb[0].id]
  subnets                    = var.public_subnet_ids
  drop_invalid_header_fields = true
  enable_deletion_protection = var.deletion_protection
  tags                       = var.tags
}

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the load balancer; the hop to Grafana stays inside the VPC, limited by security groups to the load balancer.
  count = local.https ? 1 : 0

  name     = "${var.name_prefix}-grafana"
  port     = var.grafana_port
  protocol = "HTTP"
  vpc_id   = var.vpc_id

  health_check {
    path    = "/api/health"
    matcher = "200"
  }

  tags = var.tags
}

resource "aws_lb_target_group_attachment" "this" {
  count = local.https ? 1 : 0

  target_group_arn = aws_lb_target_group.this[0].arn
  target_id        = aws_instance.this.id
  port             = var.grafana_port
}

resource "aws_lb_listener" "https" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.this[0].arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[0].arn
  }
}

resource "aws_lb_listener" "http_redirect" {
  count = local.https ? 1 : 0

  load_balancer_arn = aws_lb.this[0].arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}
