// append_inputs: chunks read apart join as if read in one sequence.
#include "load/merge_inputs.h"

#include <gtest/gtest.h>

namespace ktriage {
namespace {

// A chunk of `files` object files, one object, one duplicate key and one Helm release in the
// last file; the arena holds the object's name.
Inputs chunk(std::vector<std::string> files, bool keep_sources, std::string_view name) {
  Inputs in;
  in.keep_sources = keep_sources;
  for (std::string& f : files) in.add_file(std::move(f));
  const auto last = static_cast<std::uint32_t>(in.files.size() - 1);
  in.arenas.push_back(std::make_unique<Arena>());
  RawObject o;
  o.root = Value::string(in.arenas.back()->copy(name));
  o.file = last;
  in.objects.push_back(o);
  in.duplicate_keys.push_back(DuplicateKey{{}, "labels", last, {1, 1}, {2, 1}});
  HelmRelease h;
  h.file = last;
  in.helm_releases.push_back(h);
  if (keep_sources) in.sources.assign(in.files.size(), std::string(name));
  in.issues.push_back(InputIssue{{in.files.front(), {}}, "issue " + std::string(name), false});
  in.files_read = in.files.size();
  in.bytes_read = 10 * in.files.size();
  return in;
}

TEST(MergeInputsTest, FileIndicesMoveAndOrderIsKept) {
  Inputs out;
  out.keep_sources = true;
  append_inputs(out, chunk({"a.yaml"}, true, "first"));
  Inputs second = chunk({"b.yaml", "c.yaml"}, true, "second");
  second.server_version = "v1.30.0";
  append_inputs(out, std::move(second));
  ASSERT_EQ(out.files, (std::vector<std::string>{"a.yaml", "b.yaml", "c.yaml"}));
  ASSERT_EQ(out.objects.size(), 2u);
  EXPECT_EQ(out.objects[0].file, 0u);
  EXPECT_EQ(out.objects[1].file, 2u);
  EXPECT_EQ(out.objects[1].root.str(), "second");  // still points into its moved arena
  EXPECT_EQ(out.duplicate_keys[1].file, 2u);
  EXPECT_EQ(out.helm_releases[1].file, 2u);
  EXPECT_EQ(out.issues[1].message, "issue second");
  EXPECT_EQ(out.sources, (std::vector<std::string>{"first", "second", "second"}));
  EXPECT_EQ(out.arenas.size(), 2u);
  EXPECT_EQ(out.files_read, 3u);
  EXPECT_EQ(out.bytes_read, 30u);
  EXPECT_EQ(out.server_version.value_or(""), "v1.30.0");
}

TEST(MergeInputsTest, SourcesArePaddedForFilesBeforeThemAndLaterVersionWins) {
  Inputs out;
  out.keep_sources = true;
  out.add_file("log-only.yaml");  // a file that left no source (sources is shorter than files)
  out.server_version = "v1.29.0";
  append_inputs(out, chunk({"d.yaml"}, true, "d"));
  EXPECT_EQ(out.sources, (std::vector<std::string>{"", "d"}));
  Inputs none;
  append_inputs(out, std::move(none));
  EXPECT_EQ(out.server_version.value_or(""), "v1.29.0");  // kept: the later chunk had none
}

}  // namespace
}  // namespace ktriage
