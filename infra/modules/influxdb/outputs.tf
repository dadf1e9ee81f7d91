output "url" {
  description = "HTTPS URL of the InfluxDB API."
  value       = "https://${aws_timestreaminfluxdb_db_instance.this.endpoint}:${local.port}"
}

output "database" {
  description = "InfluxDB bucket the Lambdas write to, and the v1 database name (DBRP) InfluxQL queries it by."
  value       = var.bucket
}

output "organization" {
  description = "InfluxDB organization."
  value       = var.organization
}

output "admin_secret_arn" {
  description = "ARN of the secret with the admin user's credentials (operator only; never given to the Lambdas)."
  value       = aws_secretsmanager_secret.admin.arn
}

output "ingest_token_secret_arn" {
  description = "ARN of the secret {\"token\": ...} the Lambdas read; empty until the operator puts a token in it."
  value       = aws_secretsmanager_secret.ingest_token.arn
}

output "grafana_token_secret_arn" {
  description = "ARN of the secret {\"token\": ...} the Grafana host reads its read-only token from; empty until the operator puts a token in it."
  value       = aws_secretsmanager_secret.grafana_token.arn
}

output "lambda_security_group_id" {
  description = "Security group to attach to the ingest Lambdas."
  value       = aws_security_group.lambda.id
}

output "security_group_id" {
  description = "Security group of the InfluxDB instance."
  value       = aws_security_group.influx.id
}
