# One bad-input case: runs leasecalc on tests/bad/CASE.json and compares the exit code
# and the exact stderr line with tests/bad/CASE.expected; stdout must stay empty.
#   cmake -DBIN=path/to/leasecalc -DROOT=project -DCASE=name -P bad_case.cmake
# CASE.expected holds the exit code, the stderr line, and extra arguments for `report`
# (may be empty), or after '@' a whole command with {} for the file.
file(STRINGS ${ROOT}/tests/bad/${CASE}.expected lines ENCODING UTF-8)
list(GET lines 0 code)
list(GET lines 1 message)
set(args "")
list(LENGTH lines n)
if(n GREATER 2)
  list(GET lines 2 args)
endif()
set(file tests/bad/${CASE}.json)
if(args MATCHES "^@")
  string(SUBSTRING "${args}" 1 -1 command)
  string(REPLACE "{}" "${file}" command "${command}")
else()
  set(command "report ${file} ${args}")
endif()
separate_arguments(argv UNIX_COMMAND "${command}")
execute_process(COMMAND ${BIN} ${argv} WORKING_DIRECTORY ${ROOT}
  RESULT_VARIABLE got_code OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT got_code STREQUAL code)
  message(FATAL_ERROR "leasecalc ${command}: exit ${got_code}, expected ${code}\n${err}")
endif()
if(NOT err STREQUAL "${message}\n")
  message(FATAL_ERROR "leasecalc ${command}: stderr\n  ${err}expected\n  ${message}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "leasecalc ${command}: printed on stdout:\n${out}")
endif()
