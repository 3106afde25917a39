// kind_hint: kinds implied by support bundle and cluster-info dump names.
#include "load/kind_hint.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

TEST(KindHintTest, FileStemOrParentFolder) {
  EXPECT_EQ(kind_hint("sb/cluster-resources/pods/shop.json"), "Pod");
  EXPECT_EQ(kind_hint("sb/cluster-resources/custom-resource-definitions.json"),
            "CustomResourceDefinition");
  EXPECT_EQ(kind_hint("nodes.json"), "Node");
  EXPECT_EQ(kind_hint("manifests/web.yaml"), "");
}

}  // namespace
}  // namespace ktriage
