# Turns a BPF text into a C array: cmake -DIN=x.bpf.c -DOUT=x.c -DNAME=sym -P embed.cmake
# libbcc compiles the text from a string, where clang finds no file to
# include: each '#include "FILE"' whose FILE is next to the text (the event
# struct a tool shares with its text, tools/<tool>/<tool>.h) is replaced by
# FILE's content between #line markers, so diagnostics keep the right file
# names and line numbers. tool_read_text() does the same for texts given
# with -f. The bytes are written as hex so any character of the text
# survives as is. With -DSHOWN_DIR=D the text and its headers are named
# D/FILE in diagnostics (bpf_text/, where the package installs them).
file(READ "${IN}" text)
get_filename_component(dir "${IN}" DIRECTORY)
function(shown_name path out)
  if(SHOWN_DIR)
    get_filename_component(base "${path}" NAME)
    set(${out} "${SHOWN_DIR}/${base}" PARENT_SCOPE)
  else()
    file(RELATIVE_PATH rel "${CMAKE_CURRENT_LIST_DIR}/.." "${path}")
    set(${out} "${rel}" PARENT_SCOPE)
  endif()
endfunction()
shown_name("${IN}" name)
string(REGEX MATCHALL "(^|\n)[ \t]*#[ \t]*include[ \t]*\"[^\"\n]+\"" includes "${text}")
foreach(inc ${includes})
  string(REGEX REPLACE "^\n" "" inc "${inc}")
  string(REGEX REPLACE ".*\"([^\"]+)\"" "\\1" header "${inc}")
  if(NOT EXISTS "${dir}/${header}")
    continue()
  endif()
  string(FIND "${text}" "${inc}" at)
  string(SUBSTRING "${text}" 0 ${at} before)
  string(REGEX MATCHALL "\n" newlines "${before}")
  list(LENGTH newlines line) # the include's line is line + 1
  math(EXPR next "${line} + 2")
  file(READ "${dir}/${header}" content)
  shown_name("${dir}/${header}" header_name)
  if(NOT content MATCHES "\n$")
    string(APPEND content "\n")
  endif()
  string(REPLACE "${inc}" "#line 1 \"${header_name}\"\n${content}#line ${next} \"${name}\""
         text "${text}")
endforeach()
string(HEX "${text}" hex)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* generated from ${IN}: do not edit */\nconst char ${NAME}[] = {\n${bytes}0x00};\n")
