#include "log_lines.h"

#include <array>

namespace loggen {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 8> kNamespaces = {
    "default", "kube-system", "shop", "payments", "search", "monitoring", "ingress", "batch"};
constexpr std::array<std::string_view, 10> kApps = {
    "web", "api", "cart", "checkout", "worker", "redis", "nginx", "auth", "billing", "indexer"};

void digits(std::string& out, std::uint64_t v, int width) {
  char buf[20];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

void number(std::string& out, std::uint64_t v) {
  char buf[20];
  int n = 0;
  do {
    buf[19 - n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out.append(buf + 20 - n, static_cast<std::size_t>(n));
}

void hex(std::string& out, Rng& rng, int chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t v = 0;
  for (int i = 0; i < chars; ++i) {
    if (i % 16 == 0) v = rng.next();
    out += kHex[v & 15];
    v >>= 4;
  }
}

template <std::size_t N>
std::string_view pick(Rng& rng, const std::array<std::string_view, N>& a) {
  return a[rng.below(N)];
}

// "shop/cart-7d9c5b-x2bq4"
void pod(std::string& out, Rng& rng) {
  out += pick(rng, kNamespaces);
  out += '/';
  out += pick(rng, kApps);
  out += '-';
  hex(out, rng, 6);
  out += '-';
  hex(out, rng, 5);
}

// klog header after the time: "    1234 file.go:123] "
void klog_source(std::string& out, std::string_view file, std::uint32_t line) {
  out += "    2291 ";
  out += file;
  out += ':';
  number(out, line);
  out += "] ";
}

void klog_prefix(std::string& out, Rng& rng, Clock& clock) {
  std::uint32_t r = rng.below(100);
  out += r < 90 ? 'I' : r < 97 ? 'W' : 'E';
  clock.klog(out);
}

void kubelet_message(std::string& out, Rng& rng) {
  switch (rng.below(8)) {
    case 0:
      klog_source(out, "kubelet.go", 2455);
      out += "\"SyncLoop (PLEG): event for pod\" pod=\"";
      pod(out, rng);
      out += "\" event={\"ID\":\"";
      hex(out, rng, 32);
      out += "\",\"Type\":\"ContainerStarted\",\"Data\":\"";
      hex(out, rng, 64);
      out += "\"}";
      break;
    case 1:
      klog_source(out, "kubelet.go", 2419);
      out += "\"SyncLoop UPDATE\" source=\"api\" pods=[\"";
      pod(out, rng);
      out += "\"]";
      break;
    case 2:
      klog_source(out, "kuberuntime_container.go", 809);
      out += "\"Killing container with a grace period\" pod=\"";
      pod(out, rng);
      out += "\" podUID=\"";
      hex(out, rng, 32);
      out += "\" containerName=\"app\" containerID=\"containerd://";
      hex(out, rng, 64);
      out += "\" gracePeriod=30";
      break;
    case 3:
      klog_source(out, "reconciler_common.go", 258);
      out += "\"operationExecutor.MountVolume started for volume \\\"kube-api-access-";
      hex(out, rng, 5);
      out += "\\\" (UniqueName: \\\"kubernetes.io/projected/";
      hex(out, rng, 32);
      out += "-kube-api-access\\\") pod \\\"";
      pod(out, rng);
      out += "\\\"\"";
      break;
    case 4:
      klog_source(out, "kuberuntime_manager.go", 1011);
      out += "\"Creating PodSandbox for pod\" pod=\"";
      pod(out, rng);
      out += '"';
      break;
    case 5:
      klog_source(out, "scope.go", 117);
      out += "\"RemoveContainer\" containerID=\"";
      hex(out, rng, 64);
      out += '"';
      break;
    case 6:
      klog_source(out, "pod_startup_latency_tracker.go", 104);
      out += "\"Observed pod startup duration\" pod=\"";
      pod(out, rng);
      out += "\" podStartSLOduration=";
      number(out, 1 + rng.below(30));
      out += ".";
      number(out, rng.below(1000));
      out += " observedRunningTime=\"2026-12-01 00:00:";
      digits(out, rng.below(60), 2);
      out += " +0000 UTC\"";
      break;
    default:
      klog_source(out, "kubelet_node_status.go", 493);
      out += "\"Updating node status\" node=\"cn-hangzhou.10.0.";
      number(out, rng.below(250));
      out += '.';
      number(out, rng.below(250));
      out += '"';
      break;
  }
}

void apiserver_message(std::string& out, Rng& rng) {
  switch (rng.below(5)) {
    case 0:
      klog_source(out, "httplog.go", 132);
      out += "\"HTTP\" verb=\"GET\" URI=\"/api/v1/namespaces/";
      out += pick(rng, kNamespaces);
      out += "/pods?limit=500&resourceVersion=";
      number(out, rng.next() % 100000000);
      out += "\" latency=\"";
      number(out, rng.below(900) + 1);
      out += ".";
      number(out, rng.below(1000));
      out += "ms\" userAgent=\"kubectl/v1.31.2 (linux/amd64)\" audit-ID=\"";
      hex(out, rng, 32);
      out += "\" srcIP=\"10.0.3.";
      number(out, rng.below(250));
      out += ":";
      number(out, 30000 + rng.below(30000));
      out += "\" resp=200";
      break;
    case 1:
      klog_source(out, "watch.go", 272);
      out += "\"Terminating all watchers from cacher\" resource=\"events.events.k8s.io\"";
      break;
    case 2:
      klog_source(out, "controller.go", 624);
      out += "quota admission added evaluator for: replicasets.apps";
      break;
    case 3:
      klog_source(out, "trace.go", 236);
      out += "Trace[";
      number(out, rng.below(2000000000));
      out +=
          "]: \"List\" accept:application/json,protocol:HTTP/2.0,resource:pods (01-Dec-2026) "
          "(total time: ";
      number(out, 500 + rng.below(2000));
      out += "ms):";
      break;
    default:
      klog_source(out, "alloc.go", 330);
      out += "\"allocated clusterIPs\" service=\"";
      pod(out, rng);
      out += "\" clusterIPs={\"IPv4\":\"172.16.";
      number(out, rng.below(250));
      out += '.';
      number(out, rng.below(250));
      out += "\"}";
      break;
  }
}

void logrus_message(std::string& out, Rng& rng) {
  switch (rng.below(5)) {
    case 0:
      out += " level=info msg=\"StartContainer for \\\"";
      hex(out, rng, 64);
      out += "\\\" returns successfully\"";
      break;
    case 1:
      out += " level=info msg=\"ImageCreate event name:\\\"registry.cn-hangzhou.aliyuncs.com/";
      out += pick(rng, kApps);
      out += "/app@sha256:";
      hex(out, rng, 64);
      out += "\\\" labels:{key:\\\"io.cri-containerd.image\\\" value:\\\"managed\\\"}\"";
      break;
    case 2:
      out += " level=info msg=\"shim disconnected\" id=";
      hex(out, rng, 64);
      out += " namespace=k8s.io";
      break;
    case 3:
      out += " level=info msg=\"RunPodSandbox for &PodSandboxMetadata{Name:";
      out += pick(rng, kApps);
      out += "-";
      hex(out, rng, 5);
      out += ",Uid:";
      hex(out, rng, 32);
      out += ",Namespace:";
      out += pick(rng, kNamespaces);
      out += ",Attempt:0,} returns sandbox id \\\"";
      hex(out, rng, 64);
      out += "\\\"\"";
      break;
    default:
      out += " level=warning msg=\"cleaning up after shim disconnected\" id=";
      hex(out, rng, 64);
      out += " namespace=k8s.io";
      break;
  }
}

// One application line (no trailing newline), in one of a few common shapes.
void app_message(std::string& out, Rng& rng, Clock& clock) {
  switch (rng.below(4)) {
    case 0:
      out += "{\"level\":\"info\",\"ts\":\"";
      clock.rfc3339_nano(out);
      out += "\",\"msg\":\"request served\",\"method\":\"GET\",\"path\":\"/api/v2/items/";
      number(out, rng.below(1000000));
      out += "\",\"status\":200,\"duration_ms\":";
      number(out, rng.below(300));
      out += ",\"trace_id\":\"";
      hex(out, rng, 32);
      out += "\"}";
      break;
    case 1:
      out += "10.244.";
      number(out, rng.below(250));
      out += '.';
      number(out, rng.below(250));
      out += " - - [01/Dec/2026:10:41:02 +0000] \"GET /static/app.";
      hex(out, rng, 8);
      out += ".js HTTP/1.1\" 200 ";
      number(out, rng.below(90000));
      out += " \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"";
      break;
    case 2:
      out += "2026-12-01 10:41:02,";
      number(out, 100 + rng.below(900));
      out += " INFO  [http-nio-8080-exec-";
      number(out, rng.below(200));
      out += "] c.e.shop.OrderService - order ";
      number(out, rng.below(100000000));
      out += " placed for customer ";
      number(out, rng.below(1000000));
      break;
    default:
      out += "INFO:worker:processed batch ";
      number(out, rng.below(1000000));
      out += " in ";
      number(out, rng.below(5000));
      out += " ms (";
      number(out, rng.below(1000));
      out += " records)";
      break;
  }
}

constexpr std::array<std::string_view, 6> kJavaTrace = {
    "java.lang.IllegalStateException: order already closed",
    "\tat com.example.shop.OrderService.close(OrderService.java:212)",
    "\tat com.example.shop.OrderController.finish(OrderController.java:88)",
    "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)",
    "\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:"
    "166)",
    "\tat java.base/java.lang.Thread.run(Thread.java:840)"};
constexpr std::array<std::string_view, 5> kPythonTrace = {
    "Traceback (most recent call last):", "  File \"/app/worker.py\", line 41, in handle",
    "    result = process(batch)", "  File \"/app/worker.py\", line 77, in process",
    "KeyError: 'customer_id'"};
constexpr std::array<std::string_view, 5> kGoTrace = {
    "goroutine 1 [running]:", "main.(*server).handle(0xc0001a2000, {0x9c5a40, 0xc0002b4000})",
    "\t/src/server.go:118 +0x2a5", "net/http.HandlerFunc.ServeHTTP(0xc000134000?, {0x9c5a40?})",
    "\t/usr/local/go/src/net/http/server.go:2166 +0x29"};

void cri_prefix(std::string& out, Clock& clock, std::string_view stream) {
  clock.rfc3339_nano(out);
  out += ' ';
  out += stream;
  out += " F ";
}

template <std::size_t N>
int trace(std::string& out, Clock& clock, const std::array<std::string_view, N>& lines) {
  for (std::string_view l : lines) {
    cri_prefix(out, clock, "stderr");
    out += l;
    out += '\n';
  }
  return static_cast<int>(N);
}

void journal_prefix(std::string& out, Clock& clock, std::string_view ident) {
  clock.syslog_precise(out);
  out += " cn-hangzhou.10.0.3.17 ";
  out += ident;
  out += "[1187]: ";
}

}  // namespace

void Clock::refresh() {
  std::int64_t s = us_ / 1000000;
  if (s == cached_second_) return;
  cached_second_ = s;
  std::int64_t days = s / 86400, rem = s % 86400;
  hour_ = static_cast<int>(rem / 3600);
  minute_ = static_cast<int>(rem / 60 % 60);
  second_ = static_cast<int>(rem % 60);
  // H. Hinnant's civil_from_days.
  std::int64_t z = days + 719468;
  std::int64_t era = z / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  day_ = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  month_ = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  year_ = static_cast<int>(static_cast<std::int64_t>(yoe) + era * 400 + (month_ <= 2 ? 1 : 0));
}

void Clock::klog(std::string& out) {
  refresh();
  digits(out, month_, 2);
  digits(out, day_, 2);
  out += ' ';
  digits(out, hour_, 2);
  out += ':';
  digits(out, minute_, 2);
  out += ':';
  digits(out, second_, 2);
  out += '.';
  digits(out, static_cast<std::uint64_t>(us_ % 1000000), 6);
}

void Clock::rfc3339_nano(std::string& out) {
  refresh();
  digits(out, year_, 4);
  out += '-';
  digits(out, month_, 2);
  out += '-';
  digits(out, day_, 2);
  out += 'T';
  digits(out, hour_, 2);
  out += ':';
  digits(out, minute_, 2);
  out += ':';
  digits(out, second_, 2);
  out += '.';
  digits(out, static_cast<std::uint64_t>(us_ % 1000000) * 1000 + 417, 9);
  out += 'Z';
}

void Clock::syslog_precise(std::string& out) {
  refresh();
  out += kMonths[static_cast<std::size_t>(month_ - 1)];
  out += ' ';
  digits(out, day_, 2);
  out += ' ';
  digits(out, hour_, 2);
  out += ':';
  digits(out, minute_, 2);
  out += ':';
  digits(out, second_, 2);
  out += '.';
  digits(out, static_cast<std::uint64_t>(us_ % 1000000), 6);
}

int noise(Kind kind, Rng& rng, Clock& clock, std::string& out) {
  clock.tick(rng);
  switch (kind) {
    case Kind::kKubelet:
      klog_prefix(out, rng, clock);
      kubelet_message(out, rng);
      break;
    case Kind::kApiserver:
      klog_prefix(out, rng, clock);
      apiserver_message(out, rng);
      break;
    case Kind::kContainerd:
      out += "time=\"";
      clock.rfc3339_nano(out);
      out += '"';
      logrus_message(out, rng);
      break;
    case Kind::kJournal:
      // journalctl -u kubelet -u containerd: the kubelet's klog lines, containerd's logrus lines.
      if (rng.below(4) != 0) {
        journal_prefix(out, clock, "kubelet");
        klog_prefix(out, rng, clock);
        kubelet_message(out, rng);
      } else {
        journal_prefix(out, clock, "containerd");
        out += "time=\"";
        clock.rfc3339_nano(out);
        out += '"';
        logrus_message(out, rng);
      }
      break;
    case Kind::kApp:
      // Stack traces are rare (one line in about 4,000 starts one), as in healthy services.
      if (rng.below(4000) == 0) {
        std::uint32_t t = rng.below(3);
        return t == 0   ? trace(out, clock, kJavaTrace)
               : t == 1 ? trace(out, clock, kPythonTrace)
                        : trace(out, clock, kGoTrace);
      }
      cri_prefix(out, clock, rng.below(8) == 0 ? "stderr" : "stdout");
      app_message(out, rng, clock);
      break;
  }
  out += '\n';
  return 1;
}

void planted(Kind kind, std::string_view line, Rng& rng, Clock& clock, std::string& out) {
  clock.tick(rng);
  const bool is_klog = line.size() > 1 &&
                       (line[0] == 'I' || line[0] == 'W' || line[0] == 'E' || line[0] == 'F') &&
                       line[1] >= '0' && line[1] <= '9';
  const bool is_logrus = line.substr(0, 5) == "time=";
  switch (kind) {
    case Kind::kKubelet:
    case Kind::kApiserver:
      out += line;  // klog lines as printed; other lines are untimed text in a klog file
      break;
    case Kind::kContainerd:
      if (is_logrus) {
        out += line;
      } else {
        out += "time=\"";
        clock.rfc3339_nano(out);
        out += "\" level=error msg=\"";
        for (char c : line) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        out += '"';
      }
      break;
    case Kind::kJournal:
      journal_prefix(out, clock, is_klog ? "kubelet" : is_logrus ? "containerd" : "kernel");
      out += line;
      break;
    case Kind::kApp:
      cri_prefix(out, clock, "stderr");
      out += line;
      break;
  }
  out += '\n';
}

}  // namespace loggen
