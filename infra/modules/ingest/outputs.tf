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
