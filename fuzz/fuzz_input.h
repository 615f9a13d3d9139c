// What the fuzz targets share: an input may start with one header line ("type:answer",
// "mid:audio") choosing how the rest is fed, so the corpus and the mutator cover that choice too.
#ifndef LWN_FUZZ_INPUT_H_
#define LWN_FUZZ_INPUT_H_

#include <optional>
#include <string>
#include <string_view>

namespace lwn_fuzz {

// When `input` starts with `prefix`, removes its first line and returns what followed the
// prefix on it (without a trailing '\r'); otherwise leaves `input` alone.
inline std::optional<std::string> TakeHeaderLine(std::string& input, std::string_view prefix) {
  if (input.rfind(prefix, 0) != 0) return std::nullopt;
  size_t end = input.find('\n');
  std::string value =
      input.substr(prefix.size(), end == std::string::npos ? std::string::npos : end - prefix.size());
  if (!value.empty() && value.back() == '\r') value.pop_back();
  input.erase(0, end == std::string::npos ? input.size() : end + 1);
  return value;
}

}  // namespace lwn_fuzz

#endif  // LWN_FUZZ_INPUT_H_
