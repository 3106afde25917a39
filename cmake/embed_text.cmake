# Writes a .cpp defining `std::string_view ktriage::logs::embedded_signatures_yaml()` with the text
# of IN as a raw string literal, so the binary never needs the repository at run time.
# Usage: cmake -DIN=knowledge/log-signatures.yaml -DOUT=gen.cpp -P cmake/embed_text.cmake
file(READ "${IN}" text)
string(FIND "${text}" ")ktriage_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string delimiter )ktriage_embed\"")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_text.cmake; do not edit.\n"
  "#include \"logs/signature.h\"\n\n"
  "namespace ktriage::logs {\n\n"
  "std::string_view embedded_signatures_yaml() noexcept {\n"
  "  static constexpr char kText[] = R\"ktriage_embed(${text})ktriage_embed\";\n"
  "  return {kText, sizeof(kText) - 1};\n"
  "}\n\n"
  "}  // namespace ktriage::logs\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
