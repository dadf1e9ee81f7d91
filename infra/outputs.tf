# Everything the dashboards need; `dash env import` reads `terraform output -json`.

output "aws_region" {
  description = "Region of Athena, Glue, the pipeline and Grafana."
  value       = var.aws_region
}

output "timestream_region" {
  description = "Region of the Timestream database (used only with realtime_store = timestream)."
  value       = var.timestream_region
}

output "connect_instance_id" {
  description = "Amazon Connect instance ID."
  value       = var.connect_instance_id
}

output "realtime_store" {
  description = "timestream or influxdb."
  value       = var.realtime_store
}

output "timestream_database" {
  description = "Timestream database name (null with InfluxDB)."
  value       = local.use_ts ? local.timestream_database : null
}

output "timestream_tables" {
  description = "Timestream tables created (from the data-model declaration)."
  value       = local.use_ts ? module.timestream[0].table_names : []
}

output "athena_catalog" {
  description = "Athena data catalog of the contact records."
  value       = "AwsDataCatalog"
}

output "athena_database" {
  description = "Glue/Athena database of the contact records."
  value       = module.ctr_lake.glue_database_name
}

output "ctr_table" {
  description = "Glue table of contact records."
  value       = module.ctr_lake.glue_table_name
}

output "athena_workgroup" {
  description = "Athena workgroup (enforced configuration, scan cutoff)."
  value       = module.analytics.workgroup_name
}

output "athena_output_location" {
  description = "S3 location of Athena query results."
  value       = module.analytics.output_location
}

output "ctr_bucket" {
  description = "Bucket of contact records."
  value       = module.ctr_lake.bucket_name
}

output "ctr_stream_arn" {
  description = "Kinesis stream to select in Connect's data streaming for contact trace records."
  value       = module.streams.ctr_stream_arn
}

output "agent_stream_arn" {
  description = "Kinesis stream to select in Connect's data streaming for agent events."
  value       = module.streams.agent_stream_arn
}

output "grafana_url" {
  description = "Grafana's URL: https://grafana_domain_name/, or without a certificate http://localhost:3000/ through a Session Manager port forward."
  value       = module.grafana.url
}

output "grafana_provisioning_path" {
  description = "Directory Grafana reads provisioning from on the host (GF_PATHS_PROVISIONING); dash env import writes it into dash.yaml."
  value       = var.grafana_provisioning_path
}

output "grafana_load_balancer_dns_name" {
  description = "DNS name to point grafana_domain_name at (null without a certificate)."
  value       = module.grafana.load_balancer_dns_name
}

output "grafana_instance_id" {
  description = "Grafana host instance ID, for aws ssm start-session (a shell, or the port forward to Grafana)."
  value       = module.grafana.instance_id
}

output "grafana_admin_secret_arn" {
  description = "Secrets Manager secret with the Grafana admin password (the value is never an output)."
  value       = module.grafana.admin_secret_arn
}

output "grafana_bundle_bucket" {
  description = "Bucket the provisioning/ bundle is uploaded to."
  value       = module.grafana.bundle_bucket_name
}

output "grafana_datasources" {
  description = "Datasource settings as the provisioning bundle writes them: athena and cloudwatch (the Pipeline health dashboard) always, and the real-time store's, timestream (authType default uses the instance role) or influxdb (InfluxQL over the v1-compatible /query API, the read-only token from the Grafana server's environment variable token_env, filled from influxdb_grafana_token_secret_arn)."
  value = {
    timestream = local.use_ts ? {
      authType        = "default"
      defaultRegion   = var.timestream_region
      defaultDatabase = "\"${local.timestream_database}\""
    } : null
    cloudwatch = {
      authType      = "default"
      defaultRegion = var.aws_region
    }
    athena = {
      authType       = "default"
      defaultRegion  = var.aws_region
      catalog        = "AwsDataCatalog"
      database       = module.ctr_lake.glue_database_name
      workgroup      = module.analytics.workgroup_name
      outputLocation = module.analytics.output_location
    }
    influxdb = local.use_ts ? null : {
      provisioned     = true
      type            = "influxdb"
      url             = module.influxdb[0].url
      version         = "InfluxQL"
      dbName          = module.influxdb[0].database
      httpMode        = "POST"
      httpHeaderName1 = "Authorization"
      token_env       = module.grafana.influxdb_token_env
    }
  }
}

output "influxdb_url" {
  description = "Timestream for InfluxDB URL (null with Timestream)."
  value       = local.use_ts ? null : module.influxdb[0].url
}

output "influxdb_database" {
  description = "InfluxDB bucket the Lambdas write and the v1 database name (DBRP) the real-time dashboards' InfluxQL queries (null with Timestream)."
  value       = local.use_ts ? null : module.influxdb[0].database
}

output "influxdb_token_env" {
  description = "Environment variable of the Grafana server holding InfluxDB's read-only token, for dash.yaml influxdb.token_env (null with Timestream)."
  value       = local.use_ts ? null : module.grafana.influxdb_token_env
}

output "influxdb_grafana_token_secret_arn" {
  description = "Secret the Grafana host reads InfluxDB's read-only token from; put the token in it after apply (null with Timestream)."
  value       = local.use_ts ? null : module.influxdb[0].grafana_token_secret_arn
}

output "influxdb_admin_secret_arn" {
  description = "Secret with the InfluxDB admin user, to create the ingest and Grafana tokens after apply (null with Timestream)."
  value       = local.use_ts ? null : module.influxdb[0].admin_secret_arn
}

output "influxdb_token_secret_arn" {
  description = "Secret the ingest Lambdas read their InfluxDB token from; put the token in it after apply (null with Timestream)."
  value       = local.use_ts ? null : module.influxdb[0].ingest_token_secret_arn
}

output "dead_letter_queues" {
  description = "Function key -> dead-letter queue URL, to watch and redrive."
  value       = module.ingest.dlq_urls
}

output "alarm_topic_arn" {
  description = "SNS topic (KMS-encrypted) the pipeline alarms notify; subscribe more endpoints to it, or point Grafana's alerting at it."
  value       = module.alarms.topic_arn
}

output "name_prefix" {
  description = "Prefix of every resource name: the pipeline's functions, queues and streams that dash.yaml cloudwatch.name_prefix lets the Pipeline health dashboard name."
  value       = var.name_prefix
}
