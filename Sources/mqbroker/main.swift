import BrokerTool
import ToolSupport

await MQBrokerCommand.runAsRoot()
