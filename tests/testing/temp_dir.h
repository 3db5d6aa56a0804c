// TempDir: a fresh directory under /tmp for one test, removed afterwards.
#ifndef EDGEFLOW_TESTS_TESTING_TEMP_DIR_H_
#define EDGEFLOW_TESTS_TESTING_TEMP_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace edgeflow::testing {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = "/tmp/edgeflow_test_XXXXXX";
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

  // Writes `text` to path()/name, creating parent directories.
  std::string Write(const std::string& name, const std::string& text) const {
    std::string p = Sub(name);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p) << text;
    return p;
  }

 private:
  std::string path_;
};

}  // namespace edgeflow::testing

#endif  // EDGEFLOW_TESTS_TESTING_TEMP_DIR_H_
