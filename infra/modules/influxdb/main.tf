# Timestream for InfluxDB: the real-time store of new deployments (seeds 003 and 004).
# Private subnets only, reachable only from the Lambdas' and Grafana's security
# groups. The generated admin user stays with the operator; the Lambdas read only a
# write token (InfluxDB 2.x requires a token on its v1-compatible /write endpoint) and
# Grafana only a read token, both created by the operator after apply (README: "After apply").

locals {
  port = 8086
}

resource "aws_security_group" "lambda" {
  #checkov:skip=CKV2_AWS_5:Attached to the ingest Lambdas in another module (the root passes lambda_security_group_id to module.ingest).
  name        = "${var.name_prefix}-ingest-lambdas"
  description = "Ingest Lambdas: out to InfluxDB and to AWS APIs over HTTPS"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_egress_rule" "lambda_influx" {
  security_group_id            = aws_security_group.lambda.id
  description                  = "InfluxDB API"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = aws_security_group.influx.id
}

resource "aws_vpc_security_group_egress_rule" "lambda_https" {
  security_group_id = aws_security_group.lambda.id
  description       = "AWS APIs (Secrets Manager, SQS, Connect) through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_security_group" "influx" {
  #checkov:skip=CKV2_AWS_5:Attached to aws_timestreaminfluxdb_db_instance.this, a resource checkov's graph does not know.
  name        = "${var.name_prefix}-influxdb"
  description = "Timestream for InfluxDB: only the ingest Lambdas and Grafana may connect"
  vpc_id      = var.vpc_id
  tags        = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "influx_from_lambda" {
  security_group_id            = aws_security_group.influx.id
  description                  = "InfluxDB API from the ingest Lambdas"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = aws_security_group.lambda.id
}

resource "aws_vpc_security_group_ingress_rule" "influx_from_grafana" {
  security_group_id            = aws_security_group.influx.id
  description                  = "InfluxDB API from Grafana (datasource, and the operator's port forward)"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = var.grafana_security_group_id
}

resource "aws_vpc_security_group_egress_rule" "grafana_influx" {
  security_group_id            = var.grafana_security_group_id
  description                  = "Grafana to the InfluxDB API"
  ip_protocol                  = "tcp"
  from_port                    = local.port
  to_port                      = local.port
  referenced_security_group_id = aws_security_group.influx.id
}

resource "random_password" "influx" {
  length           = 32
  special          = true
  override_special = "-_.~"
}

resource "aws_secretsmanager_secret" "admin" {
  #checkov:skip=CKV2_AWS_57:No rotation Lambda is deployed (for InfluxDB Secrets Manager has no template, only code to upload); rotate with influx user password and a new secret version. The password is create-only: changing random_password.influx replaces the instance and its data.
  name        = "${var.name_prefix}/influxdb-admin"
  description = "Timestream for InfluxDB admin user, for the operator (creates the ingest token); the Lambdas cannot read it"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "admin" {
  secret_id = aws_secretsmanager_secret.admin.id
  secret_string = jsonencode({
    username     = var.username
    password     = random_password.influx.result
    organization = var.organization
    bucket       = var.bucket
    url          = "https://${aws_timestreaminfluxdb_db_instance.this.endpoint}:${local.port}"
  })
}

resource "aws_secretsmanager_secret" "ingest_token" {
  #checkov:skip=CKV2_AWS_57:The token is created inside InfluxDB with influx auth create after apply and no rotation Lambda is deployed; rotate by creating a new token, putting it here and deleting the old one.
  name        = "${var.name_prefix}/influxdb-ingest-token"
  description = "InfluxDB API token with write access to the ingest bucket, read by the ingest Lambdas; filled in after apply"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "ingest_token" {
  secret_id     = aws_secretsmanager_secret.ingest_token.id
  secret_string = jsonencode({ token = "" })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret" "grafana_token" {
  #checkov:skip=CKV2_AWS_57:The token is created inside InfluxDB with influx auth create after apply and no rotation Lambda is deployed; rotate by creating a new token, putting it here (the Grafana host picks it up on its next sync) and deleting the old one.
  name        = "${var.name_prefix}/influxdb-grafana-token"
  description = "InfluxDB API token with read access to the ingest bucket only, read by the Grafana host for its InfluxDB datasource; filled in after apply"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

# Like the ingest token: a placeholder Terraform never overwrites, so the token itself never enters Terraform's state.
resource "aws_secretsmanager_secret_version" "grafana_token" {
  secret_id     = aws_secretsmanager_secret.grafana_token.id
  secret_string = jsonencode({ token = "" })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_timestreaminfluxdb_db_instance" "this" {
  name                   = "${var.name_prefix}-influxdb"
  db_instance_type       = var.instance_type
  allocated_storage      = var.allocated_storage_gib
  db_storage_type        = "InfluxIOIncludedT1"
  deployment_type        = var.multi_az ? "WITH_MULTIAZ_STANDBY" : "SINGLE_AZ"
  publicly_accessible    = false
  vpc_subnet_ids         = var.subnet_ids
  vpc_security_group_ids = [aws_security_group.influx.id]
  username               = var.username
  password               = random_password.influx.result
  organization           = var.organization
  bucket                 = var.bucket
  tags                   = var.tags
}
