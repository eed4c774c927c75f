-- wrk script of benchmarks/bench_load.py: each request is one user's GET of one page, with their session.
--
-- Run as `wrk ... -s load.lua <url> -- <requests file> <cookie name>`; the file has one request a line,
-- "<path> <session key>" (a "-" key sends no cookie). Each thread goes through the whole list from its own
-- starting point, so the threads do not ask for the same pages at the same time. Every answer other than
-- 200 is counted (wrk itself counts only 4xx and 5xx as errors, and a 302 to the login page would mean a
-- session that no longer works). At the end one line "RESULT <json>" sums the run up; latencies are in
-- microseconds, as wrk measures them.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file, cookie = args[1], args[2]
   pages = {}
   for line in io.lines(file) do
      local path, key = line:match("^(%S+)%s+(%S+)$")
      if path then
         local headers = {}
         if key ~= "-" then
            headers["Cookie"] = cookie .. "=" .. key
         end
         table.insert(pages, wrk.format("GET", path, headers))
      end
   end
   if #pages == 0 then
      error("no requests in " .. file)
   end
   -- Two threads start half the list apart.
   index = math.floor(#pages * id / 2) % #pages
   statuses = {}
   unexpected = 0
end

function request()
   index = index % #pages + 1
   return pages[index]
end

function response(status, headers, body)
   if status ~= 200 then
      unexpected = unexpected + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local unexpected_total, seen = 0, {}
   for _, thread in ipairs(threads) do
      unexpected_total = unexpected_total + thread:get("unexpected")
      for status, count in pairs(thread:get("statuses")) do
         seen[status] = (seen[status] or 0) + count
      end
   end
   local parts = {}
   for status, count in pairs(seen) do
      table.insert(parts, string.format('"%d": %d', status, count))
   end
   local errors = summary.errors
   io.write(string.format(
      'RESULT {"requests": %d, "duration_us": %d, "bytes": %d, '
         .. '"latency_us": {"mean": %.1f, "p50": %d, "p95": %d, "p99": %d, "max": %d}, '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}, '
         .. '"not_200": %d, "statuses": {%s}}\n',
      summary.requests, summary.duration, summary.bytes,
      latency.mean, latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
      errors.connect, errors.read, errors.write, errors.timeout, errors.status,
      unexpected_total, table.concat(parts, ", ")
   ))
end
