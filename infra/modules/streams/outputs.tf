output "ctr_stream_arn" {
  description = "ARN of the contact trace record stream (Connect data streaming: CTRs)."
  value       = aws_kinesis_stream.this["ctr"].arn
}

output "ctr_stream_name" {
  description = "Name of the contact trace record stream."
  value       = aws_kinesis_stream.this["ctr"].name
}

output "agent_stream_arn" {
  description = "ARN of the agent event stream (Connect data streaming: agent events)."
  value       = aws_kinesis_stream.this["agent_events"].arn
}

output "agent_stream_name" {
  description = "Name of the agent event stream."
  value       = aws_kinesis_stream.this["agent_events"].name
}
