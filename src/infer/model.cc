// Model loading: mmap (or an aligned copy) followed by full validation.
#include "infer/model.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "infer/efm_format.h"
#include "infer/efm_reader.h"

namespace edgeflow::infer {

Result<std::unique_ptr<Model>> Model::Open(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(path + ": cannot open: " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int e = errno;
    ::close(fd);
    return Status::IOError(path + ": cannot stat: " + std::strerror(e));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": not a regular file");
  }
  size_t bytes = static_cast<size_t>(st.st_size);
  if (bytes < kEfmHeaderBytes) {
    ::close(fd);
    return Status::Corruption(path + ": " + std::to_string(bytes) + " bytes is too short for an .efm header");
  }
  void* map = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) return Status::IOError(path + ": mmap failed: " + std::strerror(errno));
  std::unique_ptr<Model> m(new Model);
  m->map_ = map;
  m->bytes_ = bytes;
  EF_ASSIGN_OR_RETURN(m->graph_, ParseEfm(static_cast<const uint8_t*>(map), bytes, path));
  return m;
}

Result<std::unique_ptr<Model>> Model::FromBytes(std::string_view bytes, const std::string& where) {
  std::unique_ptr<Model> m(new Model);
  m->buffer_.resize(bytes.size() + kEfmAlign);
  auto addr = reinterpret_cast<uintptr_t>(m->buffer_.data());
  size_t skip = (kEfmAlign - addr % kEfmAlign) % kEfmAlign;
  uint8_t* base = m->buffer_.data() + skip;
  if (!bytes.empty()) std::memcpy(base, bytes.data(), bytes.size());
  m->bytes_ = bytes.size();
  EF_ASSIGN_OR_RETURN(m->graph_, ParseEfm(base, bytes.size(), where));
  return m;
}

Model::~Model() {
  graph_ = Graph();  // drop the views before the memory they point into
  if (map_) ::munmap(map_, bytes_);
}

}  // namespace edgeflow::infer
