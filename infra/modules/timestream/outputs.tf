output "region" {
  description = "Region of the Timestream database (that of the provider passed in)."
  value       = local.region
}

output "database_name" {
  description = "Timestream database name."
  value       = aws_timestreamwrite_database.this.database_name
}

output "database_arn" {
  description = "ARN of the Timestream database."
  value       = aws_timestreamwrite_database.this.arn
}

output "table_arns" {
  description = "Table name -> table ARN."
  value       = { for name, table in aws_timestreamwrite_table.this : name => table.arn }
}

output "table_names" {
  description = "Names of the tables created."
  value       = sort(keys(aws_timestreamwrite_table.this))
}

output "kms_key_arn" {
  description = "ARN of the database's customer-managed KMS key."
  value       = aws_kms_key.this.arn
}

output "rejected_bucket_name" {
  description = "Bucket receiving records the magnetic store rejected."
  value       = module.rejected.bucket_name
}
