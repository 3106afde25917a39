#include "apiserver/status.h"

#include "apiserver/json_writer.h"

namespace ktriage::testing {

std::string status_json(int code, std::string_view reason, std::string_view message,
                        std::string_view details_json, bool with_details) {
  std::string out =
      R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":)";
  append_json_string(out, message);
  if (!reason.empty()) {
    out += R"(,"reason":)";
    append_json_string(out, reason);
  }
  if (with_details) {
    out += R"(,"details":{)";
    out += details_json;
    out += "}";
  }
  out += R"(,"code":)" + std::to_string(code) + "}";
  return out;
}

std::string status_details(std::string_view name, std::string_view group, std::string_view plural) {
  std::string out;
  if (!name.empty()) {
    out += R"("name":)";
    append_json_string(out, name);
    out += ",";
  }
  if (!group.empty()) {
    out += R"("group":)";
    append_json_string(out, group);
    out += ",";
  }
  out += R"("kind":)";
  append_json_string(out, plural);
  return out;
}

}  // namespace ktriage::testing
