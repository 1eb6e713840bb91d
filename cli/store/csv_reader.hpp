// A streaming RFC 4180 CSV reader: quoted cells, doubled quotes, CRLF or LF
// line ends, quoted line breaks. It reads through a fixed buffer, so a file
// of any size is never held whole, and reports where each record starts so
// an import can resume at a byte offset.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace nw::cli {

/// Reads records from a file, one at a time.
class CsvReader {
 public:
  /// Opens `path`; ok() tells whether that worked.
  explicit CsvReader(const std::string& path, size_t buffer_bytes = size_t{1} << 20);
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  bool ok() const { return file_ != nullptr; }
  /// Size of the file in bytes (for progress).
  uint64_t size() const { return size_; }

  /// Continues at a byte offset where a record starts, as record number `record`
  /// (1-based; the header is record 1). Returns false when the seek fails.
  bool Seek(uint64_t offset, uint64_t record);

  /// Reads the next record into cells (views into the reader's storage, valid
  /// until the next call). Returns false at the end of the file or on an error
  /// (then error() is not empty and names what is wrong).
  bool Next(std::vector<std::string_view>& cells);

  /// The record number of the record last read (header = 1).
  uint64_t record() const { return record_; }
  /// Byte offset where the record last read starts.
  uint64_t record_offset() const { return record_offset_; }
  /// Byte offset just after the record last read (where the next one starts).
  uint64_t offset() const { return consumed_; }
  /// Whether each cell of the record last read was quoted.
  const std::vector<bool>& quoted() const { return quoted_; }
  /// The error of the last Next, or empty.
  const std::string& error() const { return error_; }
  /// Limit on one record's size in bytes; a longer record is an error.
  void set_max_record_bytes(size_t n) { max_record_ = n; }

 private:
  bool Fill();  // reads more input; false at end of file
  bool SplitPlainRecord(std::vector<std::string_view>& cells);
  void SkipLineFeedAfterCr();
  void SkipRestOfLine();

  std::FILE* file_ = nullptr;
  uint64_t size_ = 0;
  std::vector<char> buf_;
  size_t pos_ = 0;   // next unread byte in buf_
  size_t end_ = 0;   // bytes valid in buf_
  bool eof_ = false;
  uint64_t buf_offset_ = 0;   // file offset of buf_[0]
  uint64_t consumed_ = 0;     // file offset of buf_[pos_]
  uint64_t record_ = 0;
  uint64_t record_offset_ = 0;
  std::string cell_text_;     // unescaped cells, back to back
  std::vector<size_t> bounds_;
  std::vector<bool> quoted_;
  bool quoted_plain_ = true;  // quoted_ holds only false (the plain path then need not refill it)
  std::string error_;
  size_t max_record_ = size_t{1} << 20;
};

}  // namespace nw::cli
