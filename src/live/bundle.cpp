#include "live/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "load/document.h"
#include "load/source.h"

namespace ktriage {

Expected<std::size_t, std::string> write_bundle(const LiveSnapshot& snap, std::string_view root,
                                                const std::string& path) {
  std::unique_ptr<archive, decltype(&archive_write_free)> a(archive_write_new(),
                                                            &archive_write_free);
  archive_write_set_format_pax_restricted(a.get());
  archive_write_add_filter_gzip(a.get());
  archive_write_set_filter_option(a.get(), "gzip", "compression-level", "1");
  if (archive_write_open_filename(a.get(), path.c_str()) != ARCHIVE_OK) {
    return Unexpected(fmt::format("{}: cannot write: {}", path, archive_error_string(a.get())));
  }
  std::size_t total = 0;
  std::unique_ptr<archive_entry, decltype(&archive_entry_free)> entry(archive_entry_new(),
                                                                      &archive_entry_free);
  for (const SnapshotFile& f : snap.files) {
    archive_entry_clear(entry.get());
    const std::string name = fmt::format("{}/{}", root, f.path);
    archive_entry_set_pathname(entry.get(), name.c_str());
    archive_entry_set_size(entry.get(), static_cast<la_int64_t>(f.data.size()));
    archive_entry_set_filetype(entry.get(), AE_IFREG);
    archive_entry_set_perm(entry.get(), 0644);
    if (archive_write_header(a.get(), entry.get()) != ARCHIVE_OK ||
        archive_write_data(a.get(), f.data.data(), f.data.size()) !=
            static_cast<la_ssize_t>(f.data.size())) {
      return Unexpected(
          fmt::format("{}: cannot write {}: {}", path, name, archive_error_string(a.get())));
    }
    total += f.data.size();
  }
  if (archive_write_close(a.get()) != ARCHIVE_OK) {
    return Unexpected(fmt::format("{}: cannot finish: {}", path, archive_error_string(a.get())));
  }
  return total;
}

Inputs load_snapshot(const LiveSnapshot& snap, std::string_view origin) {
  Inputs inputs;
  for (const SnapshotFile& f : snap.files) {
    const bool padded = f.data.capacity() >= f.data.size() + kJsonPadding;
    load_buffer(fmt::format("{}{}", origin, f.path), f.data, inputs, padded);
    inputs.bytes_read += f.data.size();
  }
  return inputs;
}

}  // namespace ktriage
