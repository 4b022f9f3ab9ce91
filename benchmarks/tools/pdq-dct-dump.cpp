// The C++ reference's PDQ coefficients, as float bits, for the float-exact test of the Java hasher
// (engine/src/test/java/org/triage/pdq/PdqDctOracleTest.java). Ours; it links ThreatExchange's PDQ
// sources, which stay outside the project.
//
// Build, in ThreatExchange's pdq/cpp at the commit shared/pdq/README.md names (g++ 12, -O3 and no
// -march, as the reference's Makefile):
//   g++ -std=c++11 -O3 -I../.. -I. TRIAGE/benchmarks/tools/pdq-dct-dump.cpp common/pdqhashtypes.cpp \
//     hashing/pdqhashing.cpp downscaling/downscaling.cpp io/pdqio.cpp hashing/torben.cpp \
//     common/pdqutils.cpp common/pdqhamming.cpp io/hashio.cpp -o pdq-dct-dump -lm -lpthread
// Run: pdq-dct-dump FILE... (PGM or PPM, which CImg reads itself, without ImageMagick). For each
// file one line: the file, the quality, then the 256 coefficients of the 16x16 DCT, row-major, each
// as the 8 hex digits of its IEEE-754 bits. The steps are the reference's own pdqio.cpp path: the
// 512x512 nearest-neighbour resize when a side is over 512, luminance, filter, quality, DCT.
#include <pdq/cpp/hashing/pdqhashing.h>
#include <pdq/cpp/io/pdqio.h>

#include "CImg.h"

#include <cstdio>
#include <cstring>

using facebook::pdq::hashing::loadFloatLumaFromCImg;
using facebook::pdq::hashing::pdqFloat256FromFloatLuma;

int main(int argc, char** argv) {
  static float grid[64][64], partial[16][64], dct[16][16];
  for (int a = 1; a < argc; a++) {
    cimg_library::CImg<uint8_t> picture;
    picture.load(argv[a]);
    if (picture.height() > 512 || picture.width() > 512) picture = picture.resize(512, 512);
    int rows, cols;
    float* luma = loadFloatLumaFromCImg(picture, rows, cols);
    float* scratch = new float[rows * cols];
    int quality;
    pdqFloat256FromFloatLuma(luma, scratch, rows, cols, grid, partial, dct, quality);
    printf("%s %d", argv[a], quality);
    for (int i = 0; i < 16; i++) {
      for (int j = 0; j < 16; j++) {
        unsigned bits;
        std::memcpy(&bits, &dct[i][j], sizeof bits);
        printf(" %08x", bits);
      }
    }
    printf("\n");
    delete[] luma;
    delete[] scratch;
  }
  return 0;
}
