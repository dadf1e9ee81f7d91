output "workgroup_name" {
  description = "Athena workgroup the dashboards use."
  value       = aws_athena_workgroup.this.name
}

output "workgroup_arn" {
  description = "ARN of the Athena workgroup."
  value       = aws_athena_workgroup.this.arn
}

output "output_location" {
  description = "S3 location of query results (s3://bucket/prefix/)."
  value       = aws_athena_workgroup.this.configuration[0].result_configuration[0].output_location
}

output "results_bucket_name" {
  description = "Bucket holding query results."
  value       = module.results.bucket_name
}

output "results_bucket_arn" {
  description = "ARN of the results bucket."
  value       = module.results.bucket_arn
}
