// Credentials and control characters never reach a report (src/report/scrub.cpp).
#include "report/scrub.h"

#include <gtest/gtest.h>

#include "report/report.h"

namespace ktriage {
namespace {

TEST(ScrubTest, CredentialsInLogLinesAreHidden) {
  EXPECT_EQ(redact_credentials("dial postgres://admin:s3cr3t-Pw@db:5432/app: connection refused"),
            "dial postgres://admin:***@db:5432/app: connection refused");
  EXPECT_EQ(redact_credentials("login failed password=hunter2 user=bob"),
            "login failed password=*** user=bob");
  EXPECT_EQ(redact_credentials(R"({"api_key": "AKIA123456", "region": "cn"})"),
            R"({"api_key": "***", "region": "cn"})");
  EXPECT_EQ(redact_credentials("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.abc"),
            "Authorization: Bearer ***");
  EXPECT_EQ(redact_credentials("DB_PASSWORD: topsecret"), "DB_PASSWORD: ***");
}

TEST(ScrubTest, OrdinaryTextAndPlaceholdersStay) {
  for (const char* s :
       {"connect: connection refused to http://catalog.shop:8080/api",
        "kubectl create secret docker-registry x --docker-password=PASSWORD",
        "set the token in <token>", "secret \"db-creds\" not found", "password reset page",
        "Back-off pulling image \"nginx:1.25\"", "basic auth"}) {
    EXPECT_EQ(redact_credentials(s), s);
  }
}

TEST(ScrubTest, BothReportsApplyIt) {
  Diagnosis d;
  Finding f;
  f.id = "x";
  f.rule = "crash-log-connection-refused";
  f.object = ObjectRef{"Pod", "shop", "web", ""};
  f.summary = "exit \x1b]0;pwned\x07";
  Evidence e;
  e.kind = Evidence::Kind::kLog;
  e.file = "logs/shop/web/app.log";
  e.line = 3;
  e.value = "redis://:Zx9!pass@cache:6379 refused";
  f.evidence.push_back(e);
  d.findings.push_back(f);
  const std::string text = render_text(d, TextOptions{});
  EXPECT_EQ(text.find("Zx9!pass"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
  const std::string json = render_json(d);
  EXPECT_EQ(json.find("Zx9!pass"), std::string::npos) << json;
}

TEST(ScrubTest, AFixKeepsItsLineBreaksOnly) {
  Diagnosis d;
  Finding f;
  f.id = "x";
  f.rule = "rbac-forbidden";
  f.object = ObjectRef{"Pod", "shop", "web", ""};
  f.summary = "s";
  f.fix = "apply:\nkind: Role\x1b[2J\nname: web";
  d.findings.push_back(f);
  const std::string fix = scrub_for_output(d, /*for_terminal=*/true).findings[0].fix;
  EXPECT_EQ(fix, "apply:\nkind: Role\\x1b[2J\nname: web");
}

}  // namespace
}  // namespace ktriage
