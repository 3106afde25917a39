// condition_text: how evidence shows a status condition, with parts left out when unset.
#include "analyzers/common/node_status.h"

#include <gtest/gtest.h>

#include "support/test_support.h"

namespace ktriage {
namespace {

using testing::cluster_from_yaml;

// The Ready condition of pod p in `conditions` (a YAML flow list).
std::string ready_text(std::string_view conditions) {
  auto c = cluster_from_yaml(
      "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nstatus:\n  conditions: " +
      std::string(conditions) + "\n");
  const Object* pod = c->find("Pod", "ns", "p");
  EXPECT_NE(pod, nullptr);
  return pod == nullptr ? "" : condition_text(pod->condition("Ready"));
}

TEST(ConditionTextTest, StatusReasonAndMessage) {
  EXPECT_EQ(ready_text("[{type: Ready, status: 'False', reason: ContainersNotReady, message: "
                       "'containers with unready status: [web]'}]"),
            "False ContainersNotReady: containers with unready status: [web]");
}

TEST(ConditionTextTest, UnsetPartsLeaveNoSpaces) {
  EXPECT_EQ(ready_text("[{type: Ready, status: 'False'}]"), "False");
  EXPECT_EQ(ready_text("[{type: Ready, status: 'False', message: lost}]"), "False: lost");
  EXPECT_EQ(ready_text("[{type: Ready, status: Unknown, reason: NodeLost}]"), "Unknown NodeLost");
  EXPECT_EQ(ready_text("[{type: Ready, message: lost}]"), "lost");
  EXPECT_EQ(ready_text("[{type: Ready}]"), "(no status)");
}

}  // namespace
}  // namespace ktriage
