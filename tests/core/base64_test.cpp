// Base64 as RFC 4648 defines it: the test vectors, padding rules and line breaks.
#include "core/base64.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

TEST(Base64Test, Rfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {{"", ""},
                                                          {"f", "Zg=="},
                                                          {"fo", "Zm8="},
                                                          {"foo", "Zm9v"},
                                                          {"foob", "Zm9vYg=="},
                                                          {"fooba", "Zm9vYmE="},
                                                          {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), std::optional<std::string>(plain));
  }
  const std::string bytes("\x00\xff\x10\x80", 4);
  EXPECT_EQ(base64_decode(base64_encode(bytes)), std::optional<std::string>(bytes));
}

TEST(Base64Test, LineBreaksIgnoredEverythingElseRefused) {
  EXPECT_EQ(base64_decode("Zm9v\nYmFy\r\n"), std::optional<std::string>("foobar"));
  for (const char* bad : {"Zm9", "Zm9v!", "Z===", "Zg=a", "Zg==Zg==", "=Zg=", "Zm 9v"}) {
    EXPECT_EQ(base64_decode(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace ktriage
