# Both feeds once lived in this module's main.tf; modules/lake_feed now defines them. These blocks move an
# existing deployment's state to the new addresses, so `terraform apply` keeps the streams, tables, roles and
# log groups instead of destroying and recreating them. Data sources need none: they are read again.

moved {
  from = aws_glue_catalog_table.this
  to   = module.ctr.aws_glue_catalog_table.this
}

moved {
  from = aws_cloudwatch_log_group.firehose
  to   = module.ctr.aws_cloudwatch_log_group.firehose
}

moved {
  from = aws_cloudwatch_log_stream.firehose
  to   = module.ctr.aws_cloudwatch_log_stream.firehose
}

moved {
  from = aws_iam_role.firehose
  to   = module.ctr.aws_iam_role.firehose
}

moved {
  from = aws_iam_role_policy.firehose
  to   = module.ctr.aws_iam_role_policy.firehose
}

moved {
  from = aws_kinesis_firehose_delivery_stream.this
  to   = module.ctr.aws_kinesis_firehose_delivery_stream.this
}

moved {
  from = aws_glue_catalog_table.agent_events
  to   = module.agent_events.aws_glue_catalog_table.this
}

moved {
  from = aws_cloudwatch_log_group.agent_events_firehose
  to   = module.agent_events.aws_cloudwatch_log_group.firehose
}

moved {
  from = aws_cloudwatch_log_stream.agent_events_firehose
  to   = module.agent_events.aws_cloudwatch_log_stream.firehose
}

moved {
  from = aws_iam_role.agent_events_firehose
  to   = module.agent_events.aws_iam_role.firehose
}

moved {
  from = aws_iam_role_policy.agent_events_firehose
  to   = module.agent_events.aws_iam_role_policy.firehose
}

moved {
  from = aws_kinesis_firehose_delivery_stream.agent_events
  to   = module.agent_events.aws_kinesis_firehose_delivery_stream.this
}
