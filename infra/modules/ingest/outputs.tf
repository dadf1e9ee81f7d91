output "function_names" {
  description = "Function key (agent_events, contact_events, collector) -> Lambda function name."
  value       = { for k, f in aws_lambda_function.this : k => f.function_name }
}

output "function_arns" {
  description = "Function key -> Lambda function ARN."
  value       = { for k, f in aws_lambda_function.this : k => f.arn }
}

output "role_arns" {
  description = "Function key -> execution role ARN."
  value       = { for k, r in aws_iam_role.this : k => r.arn }
}

output "dlq_urls" {
  description = "Function key -> dead-letter queue URL."
  value       = { for k, q in aws_sqs_queue.dlq : k => q.url }
}

output "contact_event_rule_arn" {
  description = "ARN of the EventBridge rule for Amazon Connect contact events."
  value       = aws_cloudwatch_event_rule.contact_events.arn
}

output "collector_schedule_arn" {
  description = "ARN of the Scheduler schedule that runs the collector."
  value       = aws_scheduler_schedule.collector.arn
}

output "dlq_names" {
  description = "Function key -> dead-letter queue name (the handlers', Lambda's on-failure and EventBridge's or Scheduler's dead letters)."
  value       = { for k, q in aws_sqs_queue.dlq : k => q.name }
}

output "timeout_seconds" {
  description = "Timeout of every function, in seconds."
  value       = var.timeout_seconds
}

output "metric_dimensions" {
  description = "Function key -> the dimensions of its Powertools metrics: service (POWERTOOLS_SERVICE_NAME) and source (the handler's SOURCE, connect_ingest.published_metrics.SOURCES)."
  value       = local.metric_dimensions
}

output "metrics_namespace" {
  description = "CloudWatch namespace of the functions' Powertools metrics."
  value       = var.metrics_namespace
}

output "contact_event_rule_name" {
  description = "Name of the EventBridge rule for Amazon Connect contact events."
  value       = aws_cloudwatch_event_rule.contact_events.name
}
