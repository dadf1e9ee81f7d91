"""`dash preview`: dashboards drawn on local data as self-contained HTML pages (and PNGs), no Grafana needed."""
