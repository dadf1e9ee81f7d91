# Contact trace records: Kinesis -> Firehose -> S3 (partitioned by each contact's
# own initiation date) -> an explicit Glue table with partition projection -> Athena.
# Agent events take the same path beside them (agent_events, partitioned by event date):
# one bucket and one database, and modules/lake_feed once per stream.

module "bucket" {
  source = "../s3_bucket"

  bucket_name                  = var.bucket_name
  kms_key_arn                  = var.kms_key_arn
  expiration_days              = var.retention_days
  infrequent_access_after_days = var.infrequent_access_after_days
  access_log_bucket            = var.access_log_bucket
  tags                         = var.tags
}

resource "aws_glue_catalog_database" "this" {
  name        = var.database_name
  description = "Amazon Connect analytics: contact trace records delivered by Firehose."
}

module "ctr" {
  source = "../lake_feed"

  name                       = "${var.name_prefix}-ctr"
  policy_name                = "ctr-delivery"
  stream_sid                 = "CtrStream"
  stream_arn                 = var.ctr_stream_arn
  glue_table                 = var.glue_table
  glue_database_name         = aws_glue_catalog_database.this.name
  glue_database_arn          = aws_glue_catalog_database.this.arn
  bucket_name                = module.bucket.bucket_name
  bucket_arn                 = module.bucket.bucket_arn
  kms_key_arn                = var.kms_key_arn
  data_prefix                = var.data_prefix
  error_prefix               = var.error_prefix
  output_format              = var.output_format
  buffering_size_mb          = var.buffering_size_mb
  buffering_interval_seconds = var.buffering_interval_seconds
  log_retention_days         = var.log_retention_days
  tags                       = var.tags
}

# Agent events: the agent event stream archived the same way, into the same bucket and database, partitioned
# by each event's own date, so history can turn statuses into durations (Agents - history).
module "agent_events" {
  source = "../lake_feed"

  name                       = "${var.name_prefix}-agent-events"
  policy_name                = "agent-event-delivery"
  stream_sid                 = "AgentEventStream"
  stream_arn                 = var.agent_event_stream_arn
  glue_table                 = var.agent_events_glue_table
  glue_database_name         = aws_glue_catalog_database.this.name
  glue_database_arn          = aws_glue_catalog_database.this.arn
  bucket_name                = module.bucket.bucket_name
  bucket_arn                 = module.bucket.bucket_arn
  kms_key_arn                = var.kms_key_arn
  data_prefix                = var.agent_events_prefix
  error_prefix               = "${var.error_prefix}/agent_events"
  output_format              = var.output_format
  buffering_size_mb          = var.buffering_size_mb
  buffering_interval_seconds = var.buffering_interval_seconds
  log_retention_days         = var.log_retention_days
  tags                       = var.tags
}
