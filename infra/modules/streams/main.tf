# The two Kinesis streams Amazon Connect writes to: contact trace records and
# agent events, each encrypted with the pipeline's customer-managed key.

locals {
  streams = {
    ctr          = "${var.name_prefix}-ctr"
    agent_events = "${var.name_prefix}-agent-events"
  }
}

resource "aws_kinesis_stream" "this" {
  for_each = local.streams

  name             = each.value
  shard_count      = var.stream_mode == "PROVISIONED" ? var.shard_count : null
  retention_period = var.retention_hours
  encryption_type  = "KMS"
  kms_key_id       = var.kms_key_arn

  stream_mode_details {
    stream_mode = var.stream_mode
  }

  tags = var.tags
}
