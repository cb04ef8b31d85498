# packaging.cmake: what `cmake --install` adds beyond the targets: the CMake
# package (find_package(place) and find_package(libplace) give place::place
# and place::place_static) and the pkg-config file libplace.pc. Included by
# the top-level CMakeLists.txt after install(TARGETS ... EXPORT placeTargets).
include(CMakePackageConfigHelpers)

set(PLACE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/place" CACHE STRING
  "Where the CMake package of libplace is installed, relative to the prefix")
mark_as_advanced(PLACE_INSTALL_CMAKEDIR)

# The installed command finds the installed library wherever the prefix is.
set_target_properties(place_cli PROPERTIES
  INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")

install(EXPORT placeTargets NAMESPACE place::
  DESTINATION ${PLACE_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/placeConfig.cmake.in
  ${PROJECT_BINARY_DIR}/placeConfig.cmake
  INSTALL_DESTINATION ${PLACE_INSTALL_CMAKEDIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/placeConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/placeConfig.cmake
  ${PROJECT_BINARY_DIR}/placeConfigVersion.cmake
  ${CMAKE_CURRENT_LIST_DIR}/FindGLPK.cmake
  DESTINATION ${PLACE_INSTALL_CMAKEDIR})
# find_package(libplace): the same package under the project's other name.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/libplaceConfig.cmake
  DESTINATION ${PLACE_INSTALL_CMAKEDIR}/../libplace)
install(FILES ${PROJECT_BINARY_DIR}/placeConfigVersion.cmake
  DESTINATION ${PLACE_INSTALL_CMAKEDIR}/../libplace
  RENAME libplaceConfigVersion.cmake)

# pkg-config: paths relative to the .pc file, so that the file is right
# wherever `cmake --install --prefix` puts the tree.
file(RELATIVE_PATH PLACE_PC_PREFIX "${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig"
  "${CMAKE_INSTALL_PREFIX}")
string(REGEX REPLACE "/$" "" PLACE_PC_PREFIX "${PLACE_PC_PREFIX}")
foreach(_d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${_d}}")
    set(PLACE_PC_${_d} "${CMAKE_INSTALL_${_d}}")
  else()
    set(PLACE_PC_${_d} "\${prefix}/${CMAKE_INSTALL_${_d}}")
  endif()
endforeach()
configure_file(${CMAKE_CURRENT_LIST_DIR}/libplace.pc.in
  ${PROJECT_BINARY_DIR}/libplace.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/libplace.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
