// plan_reads: the order files are read in and the problems met while listing.
#include "load/source_plan.h"

#include <gtest/gtest.h>

#include "live/temp_dir.h"

namespace ktriage {
namespace {

TEST(SourcePlanTest, FoldersAreSortedArchivesAndStdinAreMarkedProblemsKeepTheirPlace) {
  testing::TempDir dir;
  dir.write("b/z.yaml", "x");
  dir.write("a.yaml", "x");
  dir.write("b/bundle.TGZ", "x");
  std::filesystem::create_directories(dir.path() + "/empty");
  const std::vector<std::string> paths{dir.path() + "/missing", dir.path(), "-",
                                       dir.path() + "/empty"};
  const std::vector<ReadStep> steps = plan_reads(paths);
  ASSERT_EQ(steps.size(), 6u);
  EXPECT_EQ(steps[0].kind, ReadStep::Kind::kIssue);
  EXPECT_EQ(steps[0].issue.message, "no such file or folder");
  EXPECT_EQ(steps[1].display, dir.path() + "/a.yaml");
  EXPECT_EQ(steps[2].kind, ReadStep::Kind::kArchive);
  EXPECT_EQ(steps[3].display, dir.path() + "/b/z.yaml");
  EXPECT_EQ(steps[3].kind, ReadStep::Kind::kFile);
  EXPECT_EQ(steps[4].kind, ReadStep::Kind::kStdin);
  EXPECT_EQ(steps[5].issue.message, "folder holds no files");
  EXPECT_TRUE(steps[5].issue.skipped_file);
}

TEST(SourcePlanTest, ArchiveNames) {
  EXPECT_TRUE(is_archive_name("x.tar.gz"));
  EXPECT_TRUE(is_archive_name("X.TAR"));
  EXPECT_FALSE(is_archive_name("x.gz"));
}

}  // namespace
}  // namespace ktriage
