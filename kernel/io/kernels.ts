/**
 * IO kernels ("io.*"), loaded in every thread by worker/kernels.ts.
 */
import { defineKernels } from "../worker/registry";
import { readCsvBlock } from "./csv/source";
import { writeCsvPart } from "./csv/write";
import { readParquetRowGroup, writeParquetPart } from "./parquet/kernels";

defineKernels("io", {
  readCsv: readCsvBlock,
  writeCsv: writeCsvPart,
  readParquet: readParquetRowGroup,
  writeParquet: writeParquetPart,
});
