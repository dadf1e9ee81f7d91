# Amazon Connect analytics: Connect -> Kinesis -> Firehose -> S3 -> Glue -> Athena
# for history; agent and contact events -> Lambdas -> Timestream (or Timestream for
# InfluxDB) for real time; Grafana on EC2 reads both.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# Connect puts records into the streams as the instance's own service-linked role
# (AWSServiceRoleForAmazonConnect_<id>), read here so the key policy can name it.
data "aws_connect_instance" "this" {
  instance_id = var.connect_instance_id
}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition
  datamodel = jsondecode(file("${path.module}/generated/datamodel.json"))
  ctr_table = local.datamodel.glue_tables.contact_records
  use_ts    = var.realtime_store == "timestream"

  ingest_role_names = {
    agent_events   = "${var.name_prefix}-agent-events"
    contact_events = "${var.name_prefix}-contact-events"
    collector      = "${var.name_prefix}-collector"
  }
  grafana_role_name = "${var.name_prefix}-grafana"
  key_user_role_arns = [
    for name in concat(values(local.ingest_role_names), [local.grafana_role_name]) :
    "arn:${local.partition}:iam::${local.account}:role/${name}"
  ]
  timestream_database = local.use_ts ? module.timestream[0].database_name : ""
  # Built from the names modules/streams gives them: the streams' own ARNs would make the key depend on itself.
  stream_arns = [
    for name in ["${var.name_prefix}-ctr", "${var.name_prefix}-agent-events"] :
    "arn:${local.partition}:kinesis:${var.aws_region}:${local.account}:stream/${name}"
  ]
  timestream_tables = local.use_ts ? module.timestream[0].table_arns : {}
}

resource "aws_kms_key" "pipeline" {
  description             = "${var.name_prefix}: streams, contact records, query results, logs, secrets"
  enable_key_rotation     = true
  deletion_window_in_days = 30

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministersAndDelegatesThroughIam"
        Effect    = "Allow"
        Principal = { AWS = "arn:${local.partition}:iam::${local.account}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsOfThisAccount"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.aws_region}.amazonaws.com" }
        Action    = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
        Resource  = "*"
        Condition = {
          ArnLike = { "kms:EncryptionContext:aws:logs:arn" = "arn:${local.partition}:logs:${var.aws_region}:${local.account}:log-group:*" }
        }
      },
      {
        # A Kinesis producer needs kms:GenerateDataKey. The role's AWS-managed policy has no KMS permission, and
        # associating a stream creates no grant (only associating a key with S3 storage does), so without this
        # statement Connect could not write to these streams.
        Sid       = "ConnectWritesItsStreams"
        Effect    = "Allow"
        Principal = { AWS = data.aws_connect_instance.this.service_role }
        Action    = "kms:GenerateDataKey"
        Resource  = "*"
        Condition = {
          StringEquals = {
            "kms:ViaService"                        = "kinesis.${var.aws_region}.amazonaws.com"
            "kms:EncryptionContext:aws:kinesis:arn" = local.stream_arns
          }
        }
      },
    ]
  })
}

resource "aws_kms_alias" "pipeline" {
  name          = "alias/${var.name_prefix}-pipeline"
  target_key_id = aws_kms_key.pipeline.key_id
}

module "vpc" {
  source = "./modules/vpc"

  name_prefix        = var.name_prefix
  cidr_block         = var.vpc_cidr
  kms_key_arn        = aws_kms_key.pipeline.arn
  enable_nat_gateway = true # the Grafana host is always private and installs Grafana from its repository
}

module "streams" {
  source = "./modules/streams"

  name_prefix     = var.name_prefix
  kms_key_arn     = aws_kms_key.pipeline.arn
  stream_mode     = var.stream_mode
  shard_count     = var.shard_count
  retention_hours = var.stream_retention_hours
}

module "ctr_lake" {
  source = "./modules/ctr_lake"

  name_prefix             = var.name_prefix
  bucket_name             = "${var.name_prefix}-ctr-${local.account}"
  database_name           = var.athena_database
  glue_table              = local.ctr_table
  ctr_stream_arn          = module.streams.ctr_stream_arn
  agent_event_stream_arn  = module.streams.agent_stream_arn
  agent_events_glue_table = local.datamodel.glue_tables.agent_events
  kms_key_arn             = aws_kms_key.pipeline.arn
  output_format           = var.ctr_output_format
  retention_days          = var.ctr_retention_days
  access_log_bucket       = var.access_log_bucket
}

module "analytics" {
  source = "./modules/analytics"

  workgroup_name                 = var.name_prefix
  results_bucket_name            = "${var.name_prefix}-athena-results-${local.account}"
  kms_key_arn                    = aws_kms_key.pipeline.arn
  bytes_scanned_cutoff_per_query = var.athena_bytes_scanned_cutoff
  access_log_bucket              = var.access_log_bucket
}

module "timestream" {
  source    = "./modules/timestream"
  count     = local.use_ts ? 1 : 0
  providers = { aws = aws.timestream }

  database_name           = var.timestream_database
  tables                  = local.datamodel.timestream_tables
  memory_retention_hours  = var.timestream_memory_retention_hours
  magnetic_retention_days = var.timestream_magnetic_retention_days
  key_user_role_arns      = local.key_user_role_arns
  rejected_bucket_name    = "${var.name_prefix}-ts-rejected-${local.account}"
  access_log_bucket       = var.timestream_access_log_bucket
}

module "influxdb" {
  source = "./modules/influxdb"
  count  = local.use_ts ? 0 : 1

  name_prefix               = var.name_prefix
  vpc_id                    = module.vpc.vpc_id
  subnet_ids                = module.vpc.private_subnet_ids
  grafana_security_group_id = module.grafana.security_group_id
  kms_key_arn               = aws_kms_key.pipeline.arn
  instance_type             = var.influxdb_instance_type
}

module "ingest" {
  source = "./modules/ingest"

  name_prefix           = var.name_prefix
  role_names            = local.ingest_role_names
  connect_instance_id   = var.connect_instance_id
  agent_stream_arn      = module.streams.agent_stream_arn
  kms_key_arn           = aws_kms_key.pipeline.arn
  powertools_layer_arn  = var.powertools_layer_arn
  sink                  = var.realtime_store
  timestream_database   = local.timestream_database
  timestream_region     = local.use_ts ? var.timestream_region : ""
  timestream_table_arns = local.timestream_tables
  influx_url            = local.use_ts ? "" : module.influxdb[0].url
  influx_database       = local.use_ts ? "" : module.influxdb[0].database
  influx_secret_arn     = local.use_ts ? "" : module.influxdb[0].ingest_token_secret_arn
  subnet_ids            = local.use_ts ? [] : module.vpc.private_subnet_ids
  security_group_ids    = local.use_ts ? [] : [module.influxdb[0].lambda_security_group_id]
  batch_size            = var.agent_batch_size
  reserved_concurrency  = var.lambda_reserved_concurrency
  collector_schedule    = var.collector_schedule
}

module "grafana" {
  source = "./modules/grafana"

  name_prefix               = var.name_prefix
  role_name                 = local.grafana_role_name
  vpc_id                    = module.vpc.vpc_id
  public_subnet_ids         = module.vpc.public_subnet_ids
  private_subnet_ids        = module.vpc.private_subnet_ids
  allowed_cidrs             = var.allowed_cidrs
  certificate_arn           = var.grafana_certificate_arn
  domain_name               = var.grafana_domain_name
  grafana_version           = var.grafana_version
  grafana_provisioning_path = var.grafana_provisioning_path
  provisioning_dir          = "${path.root}/../provisioning"
  bundle_bucket_name        = "${var.name_prefix}-grafana-bundle-${local.account}"
  kms_key_arn               = aws_kms_key.pipeline.arn
  access_log_bucket         = var.access_log_bucket
  athena_workgroup_arn      = module.analytics.workgroup_arn
  athena_results_bucket_arn = module.analytics.results_bucket_arn
  glue_database_name        = module.ctr_lake.glue_database_name
  glue_table_names          = [module.ctr_lake.glue_table_name, module.ctr_lake.agent_events_glue_table_name]
  ctr_bucket_arn            = module.ctr_lake.bucket_arn
  timestream_database_arn   = local.use_ts ? module.timestream[0].database_arn : ""
  timestream_table_arns     = values(local.timestream_tables)
  influxdb_token_secret_arn = local.use_ts ? "" : module.influxdb[0].grafana_token_secret_arn
}
