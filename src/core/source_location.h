// Where a piece of input came from: file (or URL) and 1-based line and column.
#pragma once

#include <cstdint>
#include <string>

namespace ktriage {

/// A position in an input file; line and column are 1-based, 0 when unknown.
struct SourcePos {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

/// A position with its file, for messages ("pods.yaml:12:5").
struct SourceLocation {
  std::string file;
  SourcePos pos;
  /// "file:line:col", "file:line" or "file", depending on what is known.
  std::string to_string() const;
};

/// A problem with the input: the run goes on without the part named here.
struct InputIssue {
  SourceLocation where;
  std::string message;
  bool skipped_file = false;  ///< the whole file was not used (versus one object or field)
  /// With skipped_file: not by choice (a binary file, describe text) but because it could not
  /// be read (an I/O error, a damaged archive, a saved API error): the snapshot is incomplete.
  bool unreadable = false;
};

}  // namespace ktriage
