// Streaming JSON writer that prints exactly like Go's json.MarshalIndent(v, "", "    ") of an
// unstructured object, which is what `kubectl get -o json` writes: 4-space indentation, `{}` and
// `[]` for empty containers, `"key": value`, and <, >, & escaped as \u003c, \u003e, \u0026.
// It owns only its output buffer; it never sorts: callers emit keys in byte order and the writer
// aborts if they do not (a cheap check that keeps the output identical to kubectl's).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace gen {

// Growable byte buffer; append-only, reused between chunks.
class Buf {
 public:
  Buf() = default;
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  ~Buf() { std::free(data_); }

  char* grab(size_t n) {
    if (static_cast<size_t>(cap_ - size_) < n) grow(n);
    char* p = data_ + size_;
    size_ += n;
    return p;
  }
  void put(std::string_view s) { std::memcpy(grab(s.size()), s.data(), s.size()); }
  void put(char c) { *grab(1) = c; }
  // Gives back the last n bytes grabbed.
  void unwind(size_t n) { size_ -= n; }
  void clear() { size_ = 0; }
  size_t size() const { return size_; }
  const char* data() const { return data_; }

 private:
  void grow(size_t n) {
    size_t cap = cap_ ? cap_ * 2 : (1u << 20);
    while (cap - size_ < n) cap *= 2;
    data_ = static_cast<char*>(std::realloc(data_, cap));
    if (!data_) {
      std::fputs("ktriage-gen: out of memory\n", stderr);
      std::abort();
    }
    cap_ = cap;
  }
  char* data_ = nullptr;
  size_t size_ = 0;
  size_t cap_ = 0;
};

class Json {
 public:
  // Writes into buf; the first value is taken to sit at nesting depth `depth` (2 for the items of
  // a kubectl List).
  Json(Buf& buf, int depth) : buf_(buf), depth_(depth) { frames_[0] = Frame{}; }

  Json& obj() { return open('{', true); }
  Json& arr() { return open('[', false); }
  Json& end();

  Json& key(std::string_view k);
  Json& str(std::string_view v) {
    value_prefix();
    put_string(v);
    return *this;
  }
  Json& num(int64_t v);
  Json& boolean(bool v) { return raw(v ? "true" : "false"); }
  Json& null() { return raw("null"); }
  // A value that is already valid JSON text.
  Json& raw(std::string_view v) {
    value_prefix();
    buf_.put(v);
    return *this;
  }

  // key + value shorthands.
  Json& kstr(std::string_view k, std::string_view v) { return key(k).str(v); }
  Json& knum(std::string_view k, int64_t v) { return key(k).num(v); }
  Json& kbool(std::string_view k, bool v) { return key(k).boolean(v); }
  Json& knull(std::string_view k) { return key(k).null(); }
  Json& kobj(std::string_view k) { return key(k).obj(); }
  Json& karr(std::string_view k) { return key(k).arr(); }
  Json& kempty_obj(std::string_view k) { return key(k).raw("{}"); }
  Json& kempty_arr(std::string_view k) { return key(k).raw("[]"); }

  // Appends s as a JSON string literal with Go's escaping.
  static void put_string(Buf& buf, std::string_view s);

 private:
  struct Frame {
    bool is_obj = false;
    bool first = true;
    std::string_view last_key;
  };
  static constexpr int kMaxFrames = 48;

  void put_string(std::string_view s) { put_string(buf_, s); }
  void newline_indent(int depth) {
    char* p = buf_.grab(1 + 4 * static_cast<size_t>(depth));
    p[0] = '\n';
    std::memset(p + 1, ' ', 4 * static_cast<size_t>(depth));
  }
  void element_prefix() {
    Frame& f = frames_[top_];
    if (!f.first) buf_.put(',');
    f.first = false;
    newline_indent(depth_);
  }
  void value_prefix() {
    if (top_ > 0 && !frames_[top_].is_obj) element_prefix();
  }
  Json& open(char c, bool is_obj) {
    value_prefix();
    buf_.put(c);
    if (++top_ >= kMaxFrames) fail("nesting too deep");
    frames_[top_] = Frame{is_obj, true, {}};
    ++depth_;
    return *this;
  }
  [[noreturn]] static void fail(const char* what) {
    std::fprintf(stderr, "ktriage-gen: internal JSON writer error: %s\n", what);
    std::abort();
  }

  Buf& buf_;
  int depth_;
  int top_ = 0;
  Frame frames_[kMaxFrames];
};

inline Json& Json::end() {
  if (top_ == 0) fail("end() without open");
  const Frame& f = frames_[top_];
  --depth_;
  if (!f.first) newline_indent(depth_);
  buf_.put(f.is_obj ? '}' : ']');
  --top_;
  return *this;
}

inline Json& Json::key(std::string_view k) {
  Frame& f = frames_[top_];
  if (!f.is_obj) fail("key outside an object");
  if (!f.first && !(f.last_key < k)) {
    std::fprintf(stderr, "ktriage-gen: key \"%.*s\" after \"%.*s\" breaks Go's key order\n",
                 static_cast<int>(k.size()), k.data(), static_cast<int>(f.last_key.size()),
                 f.last_key.data());
    std::abort();
  }
  f.last_key = k;
  element_prefix();
  put_string(k);
  buf_.put(": ");
  return *this;
}

inline Json& Json::num(int64_t v) {
  value_prefix();
  char tmp[24];
  int n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0) tmp[n++] = '-';
  char* p = buf_.grab(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) p[i] = tmp[n - 1 - i];
  return *this;
}

inline void Json::put_string(Buf& buf, std::string_view s) {
  auto needs_escape = [](unsigned char c) {
    return c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&';
  };
  const size_t n = s.size();
  size_t i = 0;
  while (i < n && !needs_escape(static_cast<unsigned char>(s[i]))) ++i;
  if (i == n) {
    char* p = buf.grab(n + 2);
    p[0] = '"';
    std::memcpy(p + 1, s.data(), n);
    p[n + 1] = '"';
    return;
  }
  // Slow path: reserve the worst case (every byte as \u00XX), then give back what is unused.
  static constexpr char kHex[] = "0123456789abcdef";
  const size_t worst = 2 + 6 * n;
  char* p = buf.grab(worst);
  size_t o = 0;
  p[o++] = '"';
  std::memcpy(p + o, s.data(), i);
  o += i;
  for (; i < n; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (!needs_escape(c)) {
      p[o++] = static_cast<char>(c);
    } else if (c == '"' || c == '\\') {
      p[o++] = '\\';
      p[o++] = static_cast<char>(c);
    } else if (c == '\n' || c == '\r' || c == '\t') {
      p[o++] = '\\';
      p[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
    } else {
      std::memcpy(p + o, "\\u00", 4);
      p[o + 4] = kHex[c >> 4];
      p[o + 5] = kHex[c & 0xf];
      o += 6;
    }
  }
  p[o++] = '"';
  buf.unwind(worst - o);
}

}  // namespace gen
