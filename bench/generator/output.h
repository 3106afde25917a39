// Writes `kind: List` files as `kubectl get -o json` frames them, rendering items in parallel
// chunks and writing the chunks in order with large fwrite calls. Owns its threads for the
// duration of one call; the bytes do not depend on the number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "json_writer.h"

namespace gen {

struct FileResult {
  std::string path;
  uint64_t bytes = 0;
  size_t items = 0;
};

using RenderItem = std::function<void(Json&, size_t)>;

// Writes `count` items, item i rendered by render(json, i), into path. approx_item_bytes sizes
// the chunks (a few MB each). Exits the process with a message on an I/O error.
FileResult write_list(const std::string& path, size_t count, size_t approx_item_bytes,
                      unsigned jobs, const RenderItem& render);

// Writes text as the whole file.
FileResult write_text(const std::string& path, const std::string& text);

}  // namespace gen
