// The streaming CSV reader.
#include "cli/store/csv_reader.hpp"

#include <sys/stat.h>

#include <bit>
#include <cstring>

namespace nw::cli {

CsvReader::CsvReader(const std::string& path, size_t buffer_bytes) : buf_(buffer_bytes) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr) return;
  struct stat st {};
  if (fstat(fileno(file_), &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      std::fclose(file_);
      file_ = nullptr;
      return;
    }
    size_ = static_cast<uint64_t>(st.st_size);
  }
}

CsvReader::~CsvReader() {
  if (file_ != nullptr) std::fclose(file_);
}

bool CsvReader::Seek(uint64_t offset, uint64_t record) {
  if (file_ == nullptr || std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0) return false;
  pos_ = end_ = 0;
  eof_ = false;
  buf_offset_ = consumed_ = offset;
  record_ = record - 1;
  return true;
}

// CR LF or a lone CR both end a record: after a CR, one LF is part of it.
void CsvReader::SkipLineFeedAfterCr() {
  if (pos_ >= end_) Fill();
  if (pos_ < end_ && buf_[pos_] == '\n') ++pos_;
}

// After a malformed cell: skip to the end of the line so the caller may go on.
void CsvReader::SkipRestOfLine() {
  while (true) {
    if (pos_ >= end_ && !Fill()) break;
    char d = buf_[pos_++];
    if (d == '\n') break;
  }
  consumed_ = buf_offset_ + pos_;
}

bool CsvReader::Fill() {
  if (eof_) return false;
  // Keep nothing: callers copy what they need into cell_text_ before refilling.
  buf_offset_ += end_;
  pos_ = 0;
  end_ = std::fread(buf_.data(), 1, buf_.size(), file_);
  if (end_ == 0) {
    eof_ = true;
    return false;
  }
  return true;
}

namespace {

// The bytes that matter to the plain path (comma, LF, CR, quote) are all below
// '-' (0x2d); other cells rarely hold such bytes (a space in "30 minutes").
constexpr unsigned char kCandidateLimit = '-';

// For each of the 8 bytes of `w` (memory order, low byte first), the high bit is
// set if the byte is below kCandidateLimit, and possibly for a byte just after
// such a byte (a borrow); never for any other byte, so no byte below the limit
// is missed. The caller looks at each marked byte.
inline uint64_t Candidates(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  return (w - kOnes * kCandidateLimit) & ~w & (kOnes * 0x80);
}

}  // namespace

// The common record: wholly in the buffer, ended by LF or CR LF, no quotes and
// no other CR. Its cells are views into the buffer, found in one pass over the
// record (eight bytes at a time). Returns false, having consumed nothing, for
// any other record.
bool CsvReader::SplitPlainRecord(std::vector<std::string_view>& cells) {
  const char* const first = buf_.data() + pos_;
  const char* const end = buf_.data() + end_;
  const char* cell = first;
  const char* p = first;
  const char* stop = nullptr;  // the LF or CR that ends the record
  // Looks at the byte at q; false when the record needs the general reader.
  auto visit = [&](const char* q) {
    switch (*q) {
      case ',':
        cells.emplace_back(cell, static_cast<size_t>(q - cell));
        cell = q + 1;
        return true;
      case '\n':
        stop = q;
        return true;
      case '\r':
        if (q + 1 < end && q[1] == '\n') {
          stop = q;
          return true;
        }
        return false;  // a CR not before LF
      case '"':
        return false;
      default:
        return true;  // part of the cell
    }
  };
  if constexpr (std::endian::native == std::endian::little) {
    for (; stop == nullptr && end - p >= 8; p += 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      for (uint64_t m = Candidates(w); m != 0 && stop == nullptr; m &= m - 1) {
        if (!visit(p + std::countr_zero(m) / 8)) return false;
      }
    }
  }
  for (; stop == nullptr && p < end; ++p) {
    if (static_cast<unsigned char>(*p) < kCandidateLimit && !visit(p)) return false;
  }
  if (stop == nullptr || static_cast<size_t>(stop - first) > max_record_) return false;
  cells.emplace_back(cell, static_cast<size_t>(stop - cell));
  if (!quoted_plain_ || quoted_.size() != cells.size()) {
    quoted_.assign(cells.size(), false);
    quoted_plain_ = true;
  }
  pos_ += static_cast<size_t>(stop - first) + (*stop == '\r' ? 2 : 1);
  consumed_ = buf_offset_ + pos_;
  return true;
}

bool CsvReader::Next(std::vector<std::string_view>& cells) {
  cells.clear();
  error_.clear();
  cell_text_.clear();
  bounds_.clear();
  if (file_ == nullptr || (pos_ >= end_ && !Fill())) {
    quoted_.clear();
    quoted_plain_ = true;
    return false;
  }
  record_offset_ = buf_offset_ + pos_;
  ++record_;
  if (SplitPlainRecord(cells)) return true;
  cells.clear();
  quoted_.clear();
  quoted_plain_ = false;
  // States: at the start of a cell, inside an unquoted cell, inside quotes,
  // just after a closing quote.
  enum class St : uint8_t { kStart, kPlain, kQuoted, kAfterQuote } st = St::kStart;
  size_t cell_begin = 0;
  bool done = false;
  auto end_cell = [&](bool q) {
    bounds_.push_back(cell_begin);
    bounds_.push_back(cell_text_.size());
    quoted_.push_back(q);
    cell_begin = cell_text_.size();
  };
  bool cell_quoted = false;
  while (!done) {
    if (pos_ >= end_) {
      if (!Fill()) {
        // End of file inside a record: close it, unless a quote is open.
        if (st == St::kQuoted) {
          error_ = "a quoted cell is not closed before the end of the file";
          consumed_ = buf_offset_ + pos_;
          return false;
        }
        end_cell(cell_quoted);
        break;
      }
    }
    const char* p = buf_.data() + pos_;
    const char* e = buf_.data() + end_;
    if (st == St::kQuoted) {
      // Copy up to the next quote.
      const char* q = p;
      while (q < e && *q != '"') ++q;
      cell_text_.append(p, static_cast<size_t>(q - p));
      pos_ += static_cast<size_t>(q - p);
      if (q == e) continue;
      ++pos_;  // the quote
      st = St::kAfterQuote;
    } else if (st == St::kPlain || st == St::kStart) {
      if (st == St::kStart && *p == '"') {
        ++pos_;
        st = St::kQuoted;
        cell_quoted = true;
        continue;
      }
      const char* q = p;
      while (q < e && *q != ',' && *q != '\n' && *q != '\r' && *q != '"') ++q;
      cell_text_.append(p, static_cast<size_t>(q - p));
      pos_ += static_cast<size_t>(q - p);
      st = St::kPlain;
      if (q == e) continue;
      char c = *q;
      ++pos_;
      if (c == ',') {
        end_cell(cell_quoted);
        cell_quoted = false;
        st = St::kStart;
      } else if (c == '\n') {
        end_cell(cell_quoted);
        done = true;
      } else if (c == '\r') {
        SkipLineFeedAfterCr();
        end_cell(cell_quoted);
        done = true;
      } else {
        error_ = "a quote inside an unquoted cell (cell " + std::to_string(quoted_.size() + 1) +
                 "); quote the whole cell and double the quote";
        SkipRestOfLine();
        return true;
      }
    } else {  // kAfterQuote
      char c = *p;
      ++pos_;
      if (c == '"') {
        cell_text_.push_back('"');
        st = St::kQuoted;
      } else if (c == ',') {
        end_cell(true);
        cell_quoted = false;
        st = St::kStart;
      } else if (c == '\n') {
        end_cell(true);
        done = true;
      } else if (c == '\r') {
        SkipLineFeedAfterCr();
        end_cell(true);
        done = true;
      } else {
        error_ = "text after the closing quote of cell " + std::to_string(quoted_.size() + 1);
        SkipRestOfLine();
        return true;
      }
    }
    if (cell_text_.size() > max_record_) {
      error_ = "the record is longer than " + std::to_string(max_record_) + " bytes";
      consumed_ = buf_offset_ + pos_;
      return false;
    }
  }
  consumed_ = buf_offset_ + pos_;
  cells.reserve(quoted_.size());
  for (size_t i = 0; i + 1 < bounds_.size(); i += 2) {
    cells.emplace_back(cell_text_.data() + bounds_[i], bounds_[i + 1] - bounds_[i]);
  }
  return true;
}

}  // namespace nw::cli
