# Writes a .cpp defining `std::string_view NS::FN() noexcept` (declared in HEADER) with the text of
# IN as a raw string literal, so the binary never needs the repository at run time.
# Usage: cmake -DIN=knowledge/log-signatures.yaml -DOUT=gen.cpp [-DHEADER=logs/signature.h
#        -DNS=ktriage::logs -DFN=embedded_signatures_yaml] -P cmake/embed_text.cmake
if(NOT HEADER)
  set(HEADER "logs/signature.h")
endif()
if(NOT NS)
  set(NS "ktriage::logs")
endif()
if(NOT FN)
  set(FN "embedded_signatures_yaml")
endif()
file(READ "${IN}" text)
string(FIND "${text}" ")ktriage_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${IN} contains the raw string delimiter )ktriage_embed\"")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${IN} by cmake/embed_text.cmake; do not edit.\n"
  "#include \"${HEADER}\"\n\n"
  "namespace ${NS} {\n\n"
  "std::string_view ${FN}() noexcept {\n"
  "  static constexpr char kText[] = R\"ktriage_embed(${text})ktriage_embed\";\n"
  "  return {kText, sizeof(kText) - 1};\n"
  "}\n\n"
  "}  // namespace ${NS}\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
