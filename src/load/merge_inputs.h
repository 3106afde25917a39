// Joins Inputs read separately (one per chunk of files, read on its own thread) into one, as if
// the files had been read one after another. Moves, never copies object trees; never reads files.
#pragma once

#include "model/inputs.h"

namespace ktriage {

/// Appends `part` (read after everything already in `into`) to `into`: files, objects, logs,
/// node logs, issues, duplicate keys, Helm releases and arenas keep their order; file indices in
/// `part` (RawObject::file, DuplicateKey::file, HelmRelease::file) are shifted past `into`'s
/// files; sources are appended by file index when `into.keep_sources`; files_read and
/// bytes_read are summed; a server version in `part` replaces `into`'s, as a later version file
/// does when read in sequence. Objects keep pointing into the moved arenas.
/// Cost: linear in the size of `part`'s vectors.
void append_inputs(Inputs& into, Inputs&& part);

/// Like append_inputs(), for a `part` whose file indices already name `into`'s files (one region
/// of a List file, read on its own thread): the indices are kept as they are.
void append_inputs_of_same_files(Inputs& into, Inputs&& part);

}  // namespace ktriage
