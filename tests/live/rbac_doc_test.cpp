// docs/rbac.md's ClusterRole grants exactly what the live fetcher reads: no more, no less.
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "live/fetch.h"

namespace ktriage {
namespace {

// Reads the rules of the first YAML block: "- apiGroups: [g]" then "  resources: [a, b,\n c]".
std::set<std::string> granted(const std::string& doc) {
  std::set<std::string> out;
  std::istringstream in(doc);
  std::string line, group;
  bool in_resources = false;
  auto take = [&](std::string text) {
    for (char& c : text) {
      if (c == '[' || c == ']' || c == ',') c = ' ';
    }
    std::istringstream words(text);
    std::string w;
    while (words >> w) out.insert(group + "/" + w);
  };
  while (std::getline(in, line)) {
    if (line.starts_with("---")) break;
    if (auto at = line.find("apiGroups: ["); at != std::string::npos) {
      group = line.substr(at + 12, line.find(']') - at - 12);
      if (group == "\"\"") group.clear();
      in_resources = false;
    } else if (auto r = line.find("resources: ["); r != std::string::npos) {
      take(line.substr(r + 11));
      in_resources = line.find(']') == std::string::npos;
    } else if (in_resources) {
      take(line);
      in_resources = line.find(']') == std::string::npos;
    }
  }
  return out;
}

TEST(RbacDoc, ClusterRoleGrantsExactlyWhatTheFetcherReads) {
  std::ifstream file(std::string(KTRIAGE_SOURCE_DIR) + "/docs/rbac.md");
  ASSERT_TRUE(file) << "docs/rbac.md is missing";
  std::stringstream text;
  text << file.rdbuf();
  std::set<std::string> want;
  for (const auto& [group, resource] : fetched_resources()) want.insert(group + "/" + resource);
  EXPECT_EQ(granted(text.str()), want);
}

}  // namespace
}  // namespace ktriage
