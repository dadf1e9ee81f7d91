output "glue_table_name" {
  description = "Name of the Glue table."
  value       = aws_glue_catalog_table.this.name
}

output "glue_table_arn" {
  description = "ARN of the Glue table."
  value       = aws_glue_catalog_table.this.arn
}

output "data_location" {
  description = "S3 location of the Glue table's data (s3://bucket/prefix/table/)."
  value       = local.location
}

output "firehose_name" {
  description = "Name of the Firehose delivery stream."
  value       = aws_kinesis_firehose_delivery_stream.this.name
}

output "firehose_arn" {
  description = "ARN of the Firehose delivery stream."
  value       = aws_kinesis_firehose_delivery_stream.this.arn
}
