// Credentials in the forms kubelet and application logs carry them (src/core/redact.cpp); the
// basic forms are in tests/report/scrub_test.cpp.
#include "core/redact.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

TEST(RedactTest, JsonEscapedInsideALogLine) {
  EXPECT_EQ(redact_credentials(R"(request body={\"user\":\"bob\",\"password\":\"Hunter3Secret\"})"),
            R"(request body={\"user\":\"bob\",\"password\":\"***\"})");
}

TEST(RedactTest, FlagsWithTheirValueAfterASpace) {
  EXPECT_EQ(redact_credentials("exec: /bin/app --password Hunter4Secret --port 8080"),
            "exec: /bin/app --password *** --port 8080");
  EXPECT_EQ(redact_credentials("flag --token=abc123def --v=2"), "flag --token=*** --v=2");
  // Prose with the word is no flag.
  EXPECT_EQ(redact_credentials("the password is wrong"), "the password is wrong");
  EXPECT_EQ(redact_credentials("token expired, refreshing"), "token expired, refreshing");
}

TEST(RedactTest, TokensKnownByTheirForm) {
  EXPECT_EQ(redact_credentials("GITHUB_TOKEN ghp_abcdefghijklmnopqrstuvwxyz0123456789 set"),
            "GITHUB_TOKEN *** set");
  EXPECT_EQ(redact_credentials("session=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl ok"),
            "session=*** ok");
  EXPECT_EQ(redact_credentials("cookie eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl"),
            "cookie ***");
  EXPECT_EQ(redact_credentials("key AKIAIOSFODNN7EXAMPLE in use"), "key *** in use");
  EXPECT_EQ(redact_credentials("slack xoxb-123456789012-abcdefghijkl posted"), "slack *** posted");
  // Words that only start like one stay.
  EXPECT_EQ(redact_credentials("ghp_ is GitHub's prefix; AKIA too; eyJ.x"),
            "ghp_ is GitHub's prefix; AKIA too; eyJ.x");
}

// Capitals are a password too; only the fill-in words of fix texts stay.
TEST(RedactTest, CapitalValuesAreHiddenFillInWordsStay) {
  EXPECT_EQ(redact_credentials("connection refused password=ABCDEFGH"),
            "connection refused password=***");
  EXPECT_EQ(redact_credentials("token=MYTOKEN retry"), "token=*** retry");
  EXPECT_EQ(redact_credentials(R"({"password":"JSONPW","user":"a"})"),
            R"({"password":"***","user":"a"})");
  EXPECT_EQ(redact_credentials("--docker-password=PASSWORD"), "--docker-password=PASSWORD");
  EXPECT_EQ(redact_credentials("api_key=YOUR_API_KEY"), "api_key=YOUR_API_KEY");
}

TEST(RedactTest, AQuotedValueAfterASpace) {
  EXPECT_EQ(redact_credentials(R"(login: Password "E11" rejected)"),
            R"(login: Password "***" rejected)");
  EXPECT_EQ(redact_credentials("password 'LOGPW3'"), "password '***'");
}

}  // namespace
}  // namespace ktriage
