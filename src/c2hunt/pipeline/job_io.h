// What every job does at its edges: open the output and refuse a bad capture filter before reading.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "c2hunt/util/diagnostics.h"

namespace c2hunt::pipeline {

// The job's output: a file, or standard output for "" and "-", with a large buffer because
// records are written line by line.
class OutputFile {
 public:
  // False (after reporting) when the file cannot be opened for writing.
  bool open(const std::string& path, Diagnostics& diagnostics);
  std::FILE* get() const { return out_; }

 private:
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> owned_{nullptr, &std::fclose};
  std::unique_ptr<char[]> buffer_;
  std::FILE* out_ = stdout;
};

// A bad --filter is a usage error: reported here, before any input is read.
bool capture_filter_is_usable(const std::string& bpf_filter);

}  // namespace c2hunt::pipeline
