// The streaming CSV reader against a plain model of RFC 4180: random work logs
// (plain and quoted cells, doubled quotes, commas and line breaks inside
// quotes, LF and CR LF line ends, with and without a final line end), read
// through buffers from one byte up, give the same cells, quoted flags and
// record offsets. The reader has two paths (records without quotes or CR are
// split in one pass over whole words); the files mix both.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <string>
#include <vector>

#include "cli/store/csv_reader.hpp"

namespace nw::cli {
namespace {

struct Record {
  std::vector<std::string> cells;
  std::vector<bool> quoted;
  uint64_t offset = 0;  // where the record starts in the file
};

class Random {
 public:
  explicit Random(uint64_t seed) : s_(seed) {}
  uint32_t Below(uint32_t n) {
    s_ = s_ * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<uint32_t>(s_ >> 33) % n;
  }

 private:
  uint64_t s_;
};

// A file of random records and the records it holds.
std::string Generate(Random& rnd, bool final_line_end, std::vector<Record>& records) {
  const std::string plain_bytes = "abcxyz0129 -:./+_\xc3\xa9";  // bytes on both sides of the splitter's limit ('-')
  std::string text;
  const uint32_t count = 1 + rnd.Below(40);
  for (uint32_t r = 0; r < count; ++r) {
    Record rec;
    rec.offset = text.size();
    const uint32_t cells = 1 + rnd.Below(12);
    for (uint32_t c = 0; c < cells; ++c) {
      if (c > 0) text += ',';
      std::string value;
      const bool quoted = rnd.Below(5) == 0;
      const uint32_t length = (cells == 1 && !quoted) ? 1 + rnd.Below(20) : rnd.Below(20);
      for (uint32_t k = 0; k < length; ++k) {
        if (quoted) {
          switch (rnd.Below(8)) {
            case 0: value += ','; break;
            case 1: value += '"'; break;
            case 2: value += '\n'; break;
            case 3: value += "\r\n"; break;
            default: value += plain_bytes[rnd.Below(static_cast<uint32_t>(plain_bytes.size()))];
          }
        } else {
          value += plain_bytes[rnd.Below(static_cast<uint32_t>(plain_bytes.size()))];
        }
      }
      if (quoted) {
        text += '"';
        for (char ch : value) text += ch == '"' ? std::string("\"\"") : std::string(1, ch);
        text += '"';
      } else {
        text += value;
      }
      rec.cells.push_back(value);
      rec.quoted.push_back(quoted);
    }
    const bool last = r + 1 == count;
    if (!last || final_line_end) text += rnd.Below(3) == 0 ? "\r\n" : "\n";
    records.push_back(std::move(rec));
  }
  return text;
}

TEST(CsvReader, AgreesWithTheModelOverRandomFilesAndBufferSizes) {
  const std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("normwerk-csv-reader-test-" + std::to_string(::getpid()) + ".csv");
  Random rnd(20241231);
  for (int file = 0; file < 300; ++file) {
    std::vector<Record> expected;
    const std::string text = Generate(rnd, file % 3 != 0, expected);
    {
      std::ofstream out(path, std::ios::binary);
      out << text;
    }
    for (size_t buffer : {size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{8}, size_t{13}, size_t{64}, size_t{1} << 20}) {
      CsvReader reader(path.string(), buffer);
      ASSERT_TRUE(reader.ok());
      std::vector<std::string_view> cells;
      size_t r = 0;
      while (reader.Next(cells)) {
        ASSERT_LT(r, expected.size()) << "file " << file << ", buffer " << buffer << ": more records than written";
        const Record& want = expected[r];
        ASSERT_EQ(cells.size(), want.cells.size()) << "file " << file << ", buffer " << buffer << ", record " << r + 1;
        for (size_t c = 0; c < cells.size(); ++c) {
          EXPECT_EQ(std::string(cells[c]), want.cells[c]) << "file " << file << ", buffer " << buffer << ", record " << r + 1;
          EXPECT_EQ(reader.quoted()[c], want.quoted[c]) << "file " << file << ", buffer " << buffer << ", record " << r + 1;
        }
        EXPECT_EQ(reader.record(), r + 1);
        EXPECT_EQ(reader.record_offset(), want.offset) << "file " << file << ", buffer " << buffer << ", record " << r + 1;
        const uint64_t next = r + 1 < expected.size() ? expected[r + 1].offset : text.size();
        EXPECT_EQ(reader.offset(), next) << "file " << file << ", buffer " << buffer << ", record " << r + 1;
        ++r;
      }
      EXPECT_TRUE(reader.error().empty()) << reader.error();
      EXPECT_EQ(r, expected.size()) << "file " << file << ", buffer " << buffer;
    }
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace nw::cli
