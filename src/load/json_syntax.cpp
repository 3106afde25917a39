#include "load/json_syntax.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace ktriage {
namespace {

constexpr std::size_t kRecheckBytes = 256u << 20;

// Builds nothing (a DOM of a hostile document could nest a million deep): only the first error.
struct FirstError : nlohmann::json_sax<nlohmann::json> {
  std::optional<JsonSyntaxError> error;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::json::exception& e) override {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error while
    // parsing value - invalid literal; last read: '[s'": keep what follows the last " - ".
    if (const std::size_t dash = what.rfind(" - "); dash != std::string::npos)
      what = what.substr(dash + 3);
    // "; last read: '...'" quotes the input, which may be a Secret's value of any length: the
    // position says where, the words what.
    if (const std::size_t quote = what.find("; last read:"); quote != std::string::npos)
      what.resize(quote);
    if (const std::size_t quote = what.find(": '"); quote != std::string::npos) what.resize(quote);
    // `position` counts characters read, the wrong one included.
    error = JsonSyntaxError{position == 0 ? 0 : position - 1, "JSON syntax error: " + what, false};
    return false;
  }
};

}  // namespace

std::optional<JsonSyntaxError> locate_json_syntax_error(std::string_view data) {
  if (data.size() > kRecheckBytes) return std::nullopt;
  FirstError sax;
  nlohmann::json::sax_parse(data.begin(), data.end(), &sax);
  if (!sax.error) return std::nullopt;
  JsonSyntaxError& e = *sax.error;
  e.offset = std::min(e.offset, data.size());
  e.at_end = data.find_first_not_of(" \t\r\n", e.offset) == std::string_view::npos;
  return sax.error;
}

}  // namespace ktriage
