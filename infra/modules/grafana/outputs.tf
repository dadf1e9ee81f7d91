output "url" {
  description = "Grafana's URL: https://domain_name/ with a certificate, else http://localhost:<port>/ at the end of a Session Manager port forward."
  value       = local.root_url
}

output "load_balancer_dns_name" {
  description = "DNS name to point domain_name at (null without a certificate)."
  value       = local.https ? aws_lb.this[0].dns_name : null
}

output "instance_id" {
  description = "EC2 instance ID (aws ssm start-session: a shell, or the port forward to Grafana without a certificate)."
  value       = aws_instance.this.id
}

output "role_arn" {
  description = "ARN of the instance role the datasources authenticate with."
  value       = aws_iam_role.this.arn
}

output "admin_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the Grafana admin password."
  value       = aws_secretsmanager_secret.admin.arn
}

output "bundle_bucket_name" {
  description = "Bucket holding the provisioning bundle."
  value       = module.bundle.bucket_name
}

output "security_group_id" {
  description = "Security group of the Grafana host."
  value       = aws_security_group.instance.id
}

output "influxdb_token_env" {
  description = "Environment variable of the Grafana server that holds InfluxDB's read-only token (dash.yaml influxdb.token_env)."
  value       = local.influxdb_token_env
}
