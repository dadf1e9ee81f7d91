output "topic_arn" {
  description = "ARN of the SNS topic every alarm notifies (KMS-encrypted); Grafana's alert rules may notify it too."
  value       = aws_sns_topic.alarms.arn
}

output "alarm_names" {
  description = "Every alarm's name, sorted."
  value = sort(concat(
    [for a in aws_cloudwatch_metric_alarm.lambda_errors : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.lambda_throttles : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.lambda_duration : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.consumer_iterator_age : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.scheduled_runs : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.dead_letters : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.stream_iterator_age : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.stream_write_throttles : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.firehose_freshness : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.firehose_delivery : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.firehose_failed_conversion : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.firehose_partition_limit : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.rule_failed_invocations : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.store_rejected_records : a.alarm_name],
    [for a in aws_cloudwatch_metric_alarm.store_retried_inputs : a.alarm_name],
    aws_cloudwatch_metric_alarm.timestream_user_errors[*].alarm_name,
    aws_cloudwatch_metric_alarm.timestream_system_errors[*].alarm_name,
    [aws_cloudwatch_metric_alarm.athena_scan_cutoff.alarm_name],
  ))
}
