// Label selectors as kubectl takes them (src/cli/pipeline.cpp).
#include "cli/pipeline.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

bool matches(std::string_view selector, std::string_view labels_yaml) {
  std::string err;
  auto terms = parse_selector(selector, &err);
  EXPECT_TRUE(terms.has_value()) << err;
  auto c = testing::cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: n, labels: " +
      std::string(labels_yaml) + "}\n");
  return terms && selector_matches(*terms, c->of_kind("Pod").front()->labels());
}

TEST(SelectorTest, EqualityExistenceAndSetTerms) {
  EXPECT_TRUE(matches("app=web,tier!=db", "{app: web, tier: front}"));
  EXPECT_FALSE(matches("app==web", "{app: api}"));
  EXPECT_TRUE(matches("app,!canary", "{app: web}"));
  EXPECT_FALSE(matches("!app", "{app: web}"));
  EXPECT_TRUE(matches("app in (web, api),tier notin (db)", "{app: api, tier: front}"));
  EXPECT_FALSE(matches("app in (web,api)", "{app: cart}"));
  EXPECT_FALSE(matches("app in (web)", "{tier: front}"));  // in needs the key
  EXPECT_TRUE(matches("env notin (dev)", "{app: web}"));   // notin matches a missing key
  EXPECT_FALSE(matches("env notin (dev,test)", "{env: test}"));
}

TEST(SelectorTest, MalformedTermsSayWhy) {
  std::string err;
  EXPECT_FALSE(parse_selector("app in (web", &err));
  EXPECT_NE(err.find("key in (a,b)"), std::string::npos) << err;
  EXPECT_FALSE(parse_selector("app between (a,b)", &err));
  EXPECT_FALSE(parse_selector("=web", &err));
  EXPECT_NE(err.find("has no key"), std::string::npos) << err;
}

}  // namespace
}  // namespace ktriage
