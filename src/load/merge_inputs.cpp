#include "load/merge_inputs.h"

#include <iterator>
#include <utility>

namespace ktriage {
namespace {

template <typename T>
void move_append(std::vector<T>& into, std::vector<T>& from) {
  if (into.empty()) {
    into = std::move(from);
    return;
  }
  into.insert(into.end(), std::make_move_iterator(from.begin()),
              std::make_move_iterator(from.end()));
}

void append_shifted(Inputs& into, Inputs& part, std::uint32_t shift) {
  for (RawObject& o : part.objects) o.file += shift;
  for (DuplicateKey& d : part.duplicate_keys) d.file += shift;
  for (HelmRelease& h : part.helm_releases) h.file += shift;
  // `sources` is as long as the last object file read (the loader sizes it lazily), so pad the
  // files of `into` it does not cover before appending.
  if (into.keep_sources && !part.sources.empty()) {
    into.sources.resize(into.files.size());
    move_append(into.sources, part.sources);
  }
  move_append(into.files, part.files);
  move_append(into.objects, part.objects);
  move_append(into.logs, part.logs);
  move_append(into.node_logs, part.node_logs);
  move_append(into.issues, part.issues);
  move_append(into.duplicate_keys, part.duplicate_keys);
  move_append(into.helm_releases, part.helm_releases);
  move_append(into.pull_secrets, part.pull_secrets);
  move_append(into.cloud, part.cloud);
  move_append(into.unreadable_cloud, part.unreadable_cloud);
  move_append(into.arenas, part.arenas);
  if (part.server_version) into.server_version = std::move(part.server_version);
  into.files_read += part.files_read;
  into.bytes_read += part.bytes_read;
}

}  // namespace

void append_inputs(Inputs& into, Inputs&& part) {
  append_shifted(into, part, static_cast<std::uint32_t>(into.files.size()));
}

void append_inputs_of_same_files(Inputs& into, Inputs&& part) { append_shifted(into, part, 0); }

}  // namespace ktriage
