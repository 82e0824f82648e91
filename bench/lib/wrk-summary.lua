-- Prints wrk's totals as one JSON line after its human report, so that the bench does not parse prose.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\nWRK_JSON {"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout))
end
