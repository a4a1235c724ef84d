// The entry point of every fuzz target. SwiftPM gives an executable's main() a module-specific name and
// links `main` to it, so libFuzzer's own main() is never used; instead each target's main.swift hands its
// test function to libFuzzer's driver, which then parses libFuzzer's flags and runs as usual.
import Foundation

public typealias FuzzTest = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ test: FuzzTest) -> Int32

/// Runs libFuzzer with this process's arguments on `test`; never returns.
public func runFuzzer(_ test: FuzzTest) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, test))
}
