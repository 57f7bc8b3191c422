// Escaping of untrusted text for terminals and plain-text output: control characters, escape
// sequences and invalid UTF-8 become visible \xNN escapes so that no input can drive the terminal. A
// backslash followed by 'x' is doubled, so an input that spells "\x1b" cannot pass for an escape.
#pragma once

#include <string>
#include <string_view>

namespace c2hunt {

std::string escape_for_terminal(std::string_view text);
// Length of the valid UTF-8 sequence starting at text[i] (1-4), or 0 when the bytes there are not
// valid UTF-8 (overlong forms, surrogates and code points past U+10FFFF are invalid).
size_t utf8_sequence_length(std::string_view text, size_t i);
// Hex of arbitrary bytes, lowercase.
std::string to_hex(std::string_view bytes);

}  // namespace c2hunt
