output "bucket_name" {
  description = "Bucket holding the contact trace records."
  value       = module.bucket.bucket_name
}

output "bucket_arn" {
  description = "ARN of the contact trace record bucket."
  value       = module.bucket.bucket_arn
}

output "data_location" {
  description = "S3 location of the Glue table's data (s3://bucket/prefix/table/)."
  value       = module.ctr.data_location
}

output "glue_database_name" {
  description = "Glue (Athena) database holding the contact trace record table."
  value       = aws_glue_catalog_database.this.name
}

output "glue_database_arn" {
  description = "ARN of the Glue database."
  value       = aws_glue_catalog_database.this.arn
}

output "glue_table_name" {
  description = "Glue table of contact trace records, as dashboards query it."
  value       = module.ctr.glue_table_name
}

output "glue_table_arn" {
  description = "ARN of the Glue table."
  value       = module.ctr.glue_table_arn
}

output "firehose_arn" {
  description = "ARN of the Firehose delivery stream."
  value       = module.ctr.firehose_arn
}

output "agent_events_glue_table_name" {
  description = "Glue table of archived agent events, as the Agents - history dashboard queries it."
  value       = module.agent_events.glue_table_name
}

output "agent_events_firehose_name" {
  description = "Name of the Firehose delivery stream archiving agent events."
  value       = module.agent_events.firehose_name
}

output "agent_events_firehose_arn" {
  description = "ARN of the Firehose delivery stream archiving agent events."
  value       = module.agent_events.firehose_arn
}

output "firehose_name" {
  description = "Name of the Firehose delivery stream."
  value       = module.ctr.firehose_name
}
